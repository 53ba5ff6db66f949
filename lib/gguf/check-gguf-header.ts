/**
 * The guard in front of llama.cpp (PW-2): some defective GGUFs make llama.cpp abort the whole
 * process (duplicate vocabulary strings, a SentencePiece vocabulary missing byte tokens, a missing
 * head count), and a truncated file passes node-llama-cpp's own header reader. Everything here runs
 * on the header alone.
 */
import { GGML_TYPES, tensorByteSize } from "./ggml-types.ts";
import { checkHyperparameters } from "./check-hyperparameters.ts";
import { checkVocabulary } from "./check-vocabulary.ts";
import { GgufIntegrityError, type IntegrityDefect } from "./gguf-integrity-error.ts";
import { shownName, type GgufHeaderRead } from "./read-gguf-header.ts";

export { GgufIntegrityError, type IntegrityDefect } from "./gguf-integrity-error.ts";

export type IntegritySummary = {
  file: string;
  architecture: string;
  tensors: number;
  vocabSize: number;
  trainContext: number | null;
  fileSize: number;
  /** `tokenizer.ggml.model` ("llama" = SentencePiece, "gpt2" = byte-level BPE, …). */
  tokenizerModel: string;
  /** UTF-8 bytes of the longest token string (null without a vocabulary). */
  longestTokenBytes: number | null;
};

/** The checks on an already-read header; pure, so tests can feed hand-made headers. */
export function checkGgufHeader(file: string, header: GgufHeaderRead): IntegritySummary {
  const fail = (defect: IntegrityDefect, detail: string) => new GgufIntegrityError(file, defect, detail);
  const meta = header.metadata;

  const architecture = meta.get("general.architecture");
  if (typeof architecture !== "string") throw fail("bad_header", "general.architecture is missing");

  const alignment = Number(meta.get("general.alignment") ?? 32);
  for (const t of header.tensors) {
    const name = shownName(t.name);
    const size = tensorByteSize(t.type, t.dims);
    if (size === null) throw fail("unknown_tensor_type", `tensor ${name} has ggml type ${t.type}, which this build does not know`);
    const blockSize = GGML_TYPES[t.type]!.blockSize;
    if (t.dims[0]! % blockSize !== 0) throw fail("bad_header", `tensor ${name} row of ${t.dims[0]} is not a multiple of its block size ${blockSize}`);
    if (t.offset % alignment !== 0) throw fail("bad_header", `tensor ${name} offset ${t.offset} is not aligned to ${alignment}`);
    const end = header.dataOffset + t.offset + size;
    if (end > header.fileSize) {
      throw fail("tensor_out_of_bounds", `tensor ${name} data ends at byte ${end} but the file has ${header.fileSize} bytes (truncated?)`);
    }
  }

  checkHyperparameters(meta, architecture, fail);

  const tokenizerModel = meta.get("tokenizer.ggml.model");
  if (typeof tokenizerModel !== "string") throw fail("missing_tokenizer", "tokenizer.ggml.model is missing");
  const vocab = tokenizerModel === "none" || tokenizerModel === "no_vocab" ? null : checkVocabulary(meta, tokenizerModel, fail);
  const ctx = meta.get(`${architecture}.context_length`);
  return {
    file,
    architecture,
    tensors: header.tensors.length,
    vocabSize: vocab?.size ?? 0,
    trainContext: typeof ctx === "number" ? ctx : null,
    fileSize: header.fileSize,
    tokenizerModel,
    longestTokenBytes: vocab?.longestTokenBytes ?? null,
  };
}
