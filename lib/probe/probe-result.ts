/** What one streamed completion looked like from the client's side (see ProbeAccumulator). */
export type ProbeResult = {
  ok: boolean;
  status: number;
  /** ms from sending to the first non-empty content delta; null if none came. */
  ttftMs: number | null;
  totalMs: number;
  completionTokens: number | null;
  /** From the final usage chunk, when the server sends one. */
  promptTokens: number | null;
  /** llama-server's (and serve's) server-side `timings`, when sent. */
  serverTimings: { prompt_per_second?: number; predicted_per_second?: number } | null;
  /** Tokens after the first (usage count when sent, else content deltas), per second after the first delta. */
  decodeTokensPerSecond: number | null;
  text: string;
  /** One line; null when ok. */
  error: string | null;
};
