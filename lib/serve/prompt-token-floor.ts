/**
 * The fewest tokens a prompt can take, from its UTF-8 size alone: no token stands for more bytes of
 * text than the longest token string of the vocabulary. Lets serve refuse a prompt certainly over
 * the window without tokenizing it (tokenizing runs on the event loop, next to running streams).
 * Valid for tokenizers that do not normalize text (SentencePiece, byte-level BPE); chat templates
 * only add text, but some trim each message, so only the trimmed contents count.
 */
import type { CompletionRequest } from "./parse-completion-request.ts";

const encoder = new TextEncoder();

export function promptTokenFloor(request: Pick<CompletionRequest, "kind" | "messages" | "prompt">, longestTokenBytes: number): number {
  const texts = request.kind === "chat" ? request.messages.map((m) => m.content.trim()) : [request.prompt];
  const bytes = texts.reduce((n, text) => n + encoder.encode(text).length, 0);
  return Math.ceil(bytes / Math.max(1, longestTokenBytes));
}

/** Tokenizers whose tokens never cover more text than their own string (no normalization step). */
export function tokenFloorApplies(tokenizerModel: string): boolean {
  return tokenizerModel === "llama" || tokenizerModel === "gpt2";
}
