/**
 * Turns a stream of tokens into text that is always valid UTF-8: a character split across tokens is
 * held until it completes; bytes that can never form one are flushed as U+FFFD (never an error).
 */
export type Detokenize = (tokens: readonly number[], lastTokens: readonly number[]) => string;

const REPLACEMENT = "\uFFFD";
// A UTF-8 character is at most 4 bytes and every token carries at least one.
const MAX_HELD_TOKENS = 4;
// Context handed to the detokenizer so space-prefix rules see what came before.
const CONTEXT_TOKENS = 8;

/**
 * A token's text in the middle of a sequence, when it is fixed and complete (else undefined):
 * looked up instead of detokenizing, which costs ~0.2 ms a call through node-llama-cpp.
 */
export type PieceOf = (token: number) => string | undefined;

export class TokenTextDecoder {
  private held: number[] = [];
  private history: number[] = [];

  constructor(private readonly detokenize: Detokenize, private readonly pieceOf: PieceOf = () => undefined) {}

  /** Adds one token; returns the text that is now safe to emit (possibly ""). */
  push(token: number): string {
    if (this.held.length === 0) {
      const piece = this.pieceOf(token);
      if (piece !== undefined) {
        this.held.push(token);
        return this.release(piece);
      }
    }
    this.held.push(token);
    const text = this.detokenize(this.held, this.history);
    if (text.endsWith(REPLACEMENT) && this.held.length < MAX_HELD_TOKENS) return "";
    return this.release(text);
  }

  /** Emits whatever is held; incomplete bytes come out as U+FFFD. */
  flush(): string {
    if (this.held.length === 0) return "";
    return this.release(this.detokenize(this.held, this.history));
  }

  private release(text: string): string {
    this.history = [...this.history, ...this.held].slice(-CONTEXT_TOKENS);
    this.held = [];
    return text;
  }
}
