/**
 * The texts of a model's control tokens (`<|im_end|>`, `<|eot_id|>`, …), read from its GGUF
 * vocabulary: the template's stop strings are among them, and none may appear in served text.
 */
import { RAW_BYTES_PREFIX, type GgufMetaRead } from "../gguf/read-gguf-header.ts";

/** llama.cpp's token type for control tokens (BOS, EOS, turn markers). */
const CONTROL = 3;

/** Control-token texts of at least 3 characters (shorter ones would match ordinary text), in vocabulary order. */
export function ggufSpecialTexts(metadata: ReadonlyMap<string, GgufMetaRead>): string[] {
  const tokens = metadata.get("tokenizer.ggml.tokens");
  const types = metadata.get("tokenizer.ggml.token_type");
  if (!Array.isArray(tokens) || !Array.isArray(types)) return [];
  const texts = new Set<string>();
  tokens.forEach((token, i) => {
    if (Number(types[i]) === CONTROL && typeof token === "string" && token.length >= 3 && !token.startsWith(RAW_BYTES_PREFIX)) texts.add(token);
  });
  return [...texts];
}
