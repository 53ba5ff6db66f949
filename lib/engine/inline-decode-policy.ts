/**
 * Which decode steps the local build runs on the JS thread (`decodeBatch(true)`, see
 * addon-context-patch.ts) instead of as a worker-pool job.
 *
 * Inline saves the job's thread wake-ups, ~0.9 ms a step on 2 cores: 14 % of an fx-80m token at
 * 2 threads, under 1 % of a 100 ms step. But an inline step holds the event loop (HTTP, SSE
 * writes, tokenizing) for as long as it runs, so only short steps go inline: decode steps (one
 * token per sequence at most) while the recent ones average under the cap. A step that holds
 * prompt tokens comes once per request, not once per token, so it may hold the loop longer: it
 * goes inline when the prompt steps before it say it will take at most PROMPT_CAP_FACTOR × the
 * cap (100 ms by default). Measured (fx-80m, 2 threads, 30-token prompts, EPYC, one run): TTFT
 * 1.07× llama-server's with prompt steps inline this way, 1.24× with every step on the job.
 */

/** Steps averaging under this many ms go inline; the event loop is never held much longer. */
export const DEFAULT_INLINE_DECODE_MS = 20;
export const INLINE_DECODE_ENV = "MACPROVIDER_INLINE_DECODE_MS";
/** A prompt step goes inline when it should take at most this many times the cap. */
const PROMPT_CAP_FACTOR = 5;

/** The cap from the environment: unset → the default, 0 → never inline. Throws naming the variable. */
export function inlineDecodeCapMs(env: Record<string, string | undefined>): number {
  const raw = env[INLINE_DECODE_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_INLINE_DECODE_MS;
  const ms = Number(raw);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || !Number.isFinite(ms) || ms > 10_000) {
    throw new Error(`${INLINE_DECODE_ENV} (env) has invalid value ${JSON.stringify(raw)}; allowed: milliseconds from 0 (never decode inline) to 10000`);
  }
  return ms;
}

/** Moving average weight of the newest step, and the share of the cap to fall under to come back. */
const WEIGHT = 0.2;
/** Moving average weight of the newest prompt step's cost per token (never under the newest itself). */
const PROMPT_WEIGHT = 0.5;
const RETURN_BELOW = 0.75;

export class InlineDecodePolicy {
  private averageMs: number | null = null;
  private inline = true;
  /** What a prompt token has cost in the recent prompt steps (null before the first). */
  private msPerPromptToken: number | null = null;

  constructor(private readonly capMs: number) {}

  /** Whether a batch of `tokens` is a decode step (one token per sequence at most). */
  static isStep(tokens: number, sequences: number): boolean {
    return tokens > 0 && tokens <= sequences;
  }

  /** Whether the next decode step (and sampling) runs inline. */
  wantsInline(): boolean {
    return this.capMs > 0 && this.inline;
  }

  /** Whether a step of `tokens` that holds prompt tokens runs inline: never before one was measured. */
  wantsInlinePrompt(tokens: number): boolean {
    return this.capMs > 0 && this.msPerPromptToken !== null && tokens * this.msPerPromptToken <= PROMPT_CAP_FACTOR * this.capMs;
  }

  /** A step of `tokens` holding prompt tokens took `ms`, inline or not (a slow one counts at once). */
  recordPrompt(ms: number, tokens: number): void {
    const perToken = ms / Math.max(1, tokens);
    this.msPerPromptToken = this.msPerPromptToken === null ? perToken : Math.max(perToken, this.msPerPromptToken + PROMPT_WEIGHT * (perToken - this.msPerPromptToken));
  }

  /**
   * A step took `ms`, inline or not. Past the cap the steps go to the worker; they come back once
   * the average falls under 3/4 of it, so a context does not flip at every step near the cap.
   */
  record(ms: number): void {
    this.averageMs = this.averageMs === null ? ms : this.averageMs + WEIGHT * (ms - this.averageMs);
    if (this.inline && this.averageMs > this.capMs) this.inline = false;
    else if (!this.inline && this.averageMs < RETURN_BELOW * this.capMs) this.inline = true;
  }
}
