/**
 * The vocabulary checks of the integrity check: what llama.cpp would abort the process on
 * (a repeated token string, a SentencePiece vocabulary missing byte tokens) or reject.
 */
import { RAW_BYTES_PREFIX, shownName, type GgufHeaderRead } from "./read-gguf-header.ts";
import type { FailFn } from "./gguf-integrity-error.ts";

export type VocabularyFacts = {
  size: number;
  /** UTF-8 bytes of the longest token string: no token stands for more text than that. */
  longestTokenBytes: number;
};

/** Throws through `fail` for the first defect; returns the vocabulary's size and longest token. */
export function checkVocabulary(meta: GgufHeaderRead["metadata"], tokenizerModel: string, fail: FailFn): VocabularyFacts {
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
    if (first !== undefined) throw fail("duplicate_token", `token ${id} repeats token ${first} (${shownName(text)})`);
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
  return { size: vocab.length, longestTokenBytes: vocab.reduce((max, text) => Math.max(max, utf8Bytes(text)), 0) };
}

/** Bytes of a token string as stored in the file (raw-byte strings count one byte per char). */
function utf8Bytes(text: string): number {
  if (text.startsWith(RAW_BYTES_PREFIX)) return text.length - 1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; } // a surrogate pair: one 4-byte character
    else n += 3;
  }
  return n;
}
