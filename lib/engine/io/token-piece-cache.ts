/**
 * Per-model cache of each token's mid-sequence text, for `TokenTextDecoder`'s fast path. A piece
 * is rendered once after a fixed ordinary token (so space-prefix rules see a predecessor); pieces
 * that are not complete text on their own (byte tokens of multi-byte characters) are not cached
 * and go through the held-window path.
 */
import type { LlamaModel, Token } from "node-llama-cpp";
import type { PieceOf } from "../token-text-decoder.ts";

const caches = new WeakMap<LlamaModel, PieceOf>();

export function tokenPieceCache(model: LlamaModel): PieceOf {
  let pieceOf = caches.get(model);
  if (pieceOf) return pieceOf;
  const context = model.tokenize("x", false).slice(-1) as Token[];
  const pieces = new Map<number, string | undefined>();
  pieceOf = (token) => {
    if (pieces.has(token)) return pieces.get(token);
    const text = model.detokenize([token as Token], false, context);
    const piece = text.includes("\uFFFD") || context.length === 0 ? undefined : text;
    pieces.set(token, piece);
    return piece;
  };
  caches.set(model, pieceOf);
  return pieceOf;
}
