/**
 * The guard in front of llama.cpp (PW-2): some defective GGUFs make llama.cpp abort the whole
 * process (duplicate vocabulary strings, a SentencePiece vocabulary missing byte tokens), and a
 * truncated file passes node-llama-cpp's own header reader. Everything here runs on the header alone.
 */
import { GGML_TYPES, tensorByteSize } from "./ggml-types.ts";
import { RAW_BYTES_PREFIX, type GgufHeaderRead } from "./read-gguf-header.ts";

export type IntegrityDefect =
  | "bad_magic"
  | "bad_header"
  | "unknown_tensor_type"
  | "tensor_out_of_bounds"
  | "missing_tokenizer"
  | "bad_vocab"
  | "duplicate_token"
  | "missing_byte_token";

/** A model file that must not reach llama.cpp. `code` is stable for callers mapping it to exit reasons. */
export class GgufIntegrityError extends Error {
  readonly code = "integrity";
  constructor(readonly file: string, readonly defect: IntegrityDefect, detail: string) {
    super(`model file ${file} failed the integrity check (${defect}): ${detail}`);
    this.name = "GgufIntegrityError";
  }
}

export type IntegritySummary = {
  file: string;
  architecture: string;
  tensors: number;
  vocabSize: number;
  trainContext: number | null;
  fileSize: number;
};

/** The checks on an already-read header; pure, so tests can feed hand-made headers. */
export function checkGgufHeader(file: string, header: GgufHeaderRead): IntegritySummary {
  const fail = (defect: IntegrityDefect, detail: string) => new GgufIntegrityError(file, defect, detail);
  const meta = header.metadata;

  const architecture = meta.get("general.architecture");
  if (typeof architecture !== "string") throw fail("bad_header", "general.architecture is missing");

  const alignment = Number(meta.get("general.alignment") ?? 32);
  for (const t of header.tensors) {
    const size = tensorByteSize(t.type, t.dims);
    if (size === null) throw fail("unknown_tensor_type", `tensor "${t.name}" has ggml type ${t.type}, which this build does not know`);
    const blockSize = GGML_TYPES[t.type]!.blockSize;
    if (t.dims[0]! % blockSize !== 0) throw fail("bad_header", `tensor "${t.name}" row of ${t.dims[0]} is not a multiple of its block size ${blockSize}`);
    if (t.offset % alignment !== 0) throw fail("bad_header", `tensor "${t.name}" offset ${t.offset} is not aligned to ${alignment}`);
    const end = header.dataOffset + t.offset + size;
    if (end > header.fileSize) {
      throw fail("tensor_out_of_bounds", `tensor "${t.name}" data ends at byte ${end} but the file has ${header.fileSize} bytes (truncated?)`);
    }
  }

  const tokenizerModel = meta.get("tokenizer.ggml.model");
  if (typeof tokenizerModel !== "string") throw fail("missing_tokenizer", "tokenizer.ggml.model is missing");
  if (tokenizerModel === "none" || tokenizerModel === "no_vocab") return summary(file, header, architecture, 0);
  return summary(file, header, architecture, checkVocabulary(meta, tokenizerModel, fail));
}

/** The vocabulary checks; returns its size. `fail` makes the GgufIntegrityError for this file. */
function checkVocabulary(meta: GgufHeaderRead["metadata"], tokenizerModel: string, fail: (defect: IntegrityDefect, detail: string) => GgufIntegrityError): number {
  const tokens = meta.get("tokenizer.ggml.tokens");
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.some((t) => typeof t !== "string")) {
    throw fail("missing_tokenizer", "tokenizer.ggml.tokens is missing or not a list of strings");
  }
  const vocab = tokens as string[];

  for (const key of ["tokenizer.ggml.scores", "tokenizer.ggml.token_type"]) {
    const arr = meta.get(key);
    if (arr !== undefined && (!Array.isArray(arr) || arr.length !== vocab.length)) {
      throw fail("bad_vocab", `${key} has ${Array.isArray(arr) ? arr.length : "no"} entries for ${vocab.length} tokens`);
    }
  }
  for (const key of ["bos", "eos", "eot", "unknown", "padding", "seperator"]) {
    const id = meta.get(`tokenizer.ggml.${key}_token_id`);
    if (typeof id === "number" && (id < 0 || id >= vocab.length)) {
      throw fail("bad_vocab", `tokenizer.ggml.${key}_token_id ${id} is outside the ${vocab.length}-token vocabulary`);
    }
  }

  // llama.cpp asserts id_to_token.size() == token_to_id.size() and aborts on a repeated string.
  const seen = new Map<string, number>();
  vocab.forEach((text, id) => {
    const first = seen.get(text);
    if (first !== undefined) throw fail("duplicate_token", `token ${id} repeats token ${first} (${JSON.stringify(text)})`);
    seen.set(text, id);
  });

  // SentencePiece byte fallback looks up "<0xXX>", then the single-byte string, with .at(): a miss
  // throws std::out_of_range and terminates the process (at load for "\n", later for other bytes).
  if (tokenizerModel === "llama") {
    const missing: number[] = [];
    for (let b = 0; b < 256; b++) {
      const hex = `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;
      const single = b < 0x80 ? String.fromCharCode(b) : RAW_BYTES_PREFIX + String.fromCharCode(b);
      if (!seen.has(hex) && !seen.has(single)) missing.push(b);
    }
    if (missing.length > 0) {
      const shown = missing.slice(0, 8).map((b) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`).join(", ");
      throw fail("missing_byte_token", `SentencePiece vocabulary has no byte token for ${missing.length} byte(s): ${shown}${missing.length > 8 ? ", …" : ""}`);
    }
  }
  return vocab.length;
}

function summary(file: string, header: GgufHeaderRead, architecture: string, vocabSize: number): IntegritySummary {
  const ctx = header.metadata.get(`${architecture}.context_length`);
  return {
    file,
    architecture,
    tensors: header.tensors.length,
    vocabSize,
    trainContext: typeof ctx === "number" ? ctx : null,
    fileSize: header.fileSize,
  };
}
