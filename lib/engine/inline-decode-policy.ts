/**
 * Which decode steps the local build runs on the JS thread (`decodeBatch(true)`, see
 * addon-context-patch.ts) instead of as a worker-pool job.
 *
 * Inline saves the job's thread wake-ups, ~0.9 ms a step on 2 cores: 14 % of an fx-80m token at
 * 2 threads, under 1 % of a 100 ms step. But an inline step holds the event loop (HTTP, SSE
 * writes, tokenizing) for as long as it runs, so only short steps go inline: while the recent
 * steps average under the cap. A step is one token per sequence at most; prompt chunks always
 * keep the job.
 */

/** Steps averaging under this many ms go inline; the event loop is never held much longer. */
export const DEFAULT_INLINE_DECODE_MS = 20;
export const INLINE_DECODE_ENV = "MACPROVIDER_INLINE_DECODE_MS";

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
const RETURN_BELOW = 0.75;

export class InlineDecodePolicy {
  private averageMs: number | null = null;
  private inline = true;

  constructor(private readonly capMs: number) {}

  /** Whether a batch of `tokens` is a decode step (one token per sequence at most). */
  static isStep(tokens: number, sequences: number): boolean {
    return tokens > 0 && tokens <= sequences;
  }

  /** Whether the next step runs inline. */
  wantsInline(): boolean {
    return this.capMs > 0 && this.inline;
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
