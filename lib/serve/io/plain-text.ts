/**
 * A LlamaText as the text generation shows it: plain strings and special-token text joined; null
 * when it holds a special token by role (BOS, EOS…), which no generated text can match.
 */
import type { LlamaText as LlamaTextType } from "node-llama-cpp";
import { LlamaText, SpecialTokensText } from "../../engine/io/node-llama-cpp.ts";

export function plainText(text: LlamaTextType | string | readonly (string | number)[]): string | null {
  if (typeof text !== "string" && !LlamaText.isLlamaText(text)) return text.every((v) => typeof v === "string") ? text.join("") : null;
  let out = "";
  for (const v of LlamaText(text).values) {
    if (typeof v === "string") out += v;
    else if (v instanceof SpecialTokensText) out += v.value;
    else return null;
  }
  return out;
}
