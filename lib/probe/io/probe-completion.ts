/**
 * Sends one streaming completion and measures it as a client sees it: TTFT from sending the request
 * to the first content delta, then decode rate over the rest. Used by the demo, the benchmarks and
 * the tuning probes.
 */
import { FrameSplitter, sseEventData } from "../frame-splitter.ts";

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
  error: string | null;
};

export type ProbeOptions = {
  /** Abort if no first token arrives within this many ms. */
  firstTokenTimeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  now?: () => number;
};

/** POSTs `body` (with `stream: true` forced) to `url` and reads the SSE stream to its end. */
export async function probeCompletion(url: string, body: Record<string, unknown>, options: ProbeOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? (() => performance.now());
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = options.firstTokenTimeoutMs ? setTimeout(() => controller.abort(new Error(`no first token within ${options.firstTokenTimeoutMs} ms`)), options.firstTokenTimeoutMs) : null;

  const started = now();
  let firstAt: number | null = null;
  let lastAt = started;
  let deltas = 0;
  let text = "";
  let usageTokens: number | null = null;
  let promptTokens: number | null = null;
  let serverTimings: ProbeResult["serverTimings"] = null;
  let status = 0;
  // Deltas undercount tokens: a character split across tokens arrives as one delta.
  const result = (ok: boolean, error: string | null): ProbeResult => {
    const tokens = usageTokens ?? deltas;
    return {
      ok, status, error, text,
      ttftMs: firstAt === null ? null : firstAt - started,
      totalMs: now() - started,
      completionTokens: tokens || null,
      promptTokens,
      serverTimings,
      decodeTokensPerSecond: firstAt !== null && tokens > 1 && lastAt > firstAt ? (tokens - 1) / ((lastAt - firstAt) / 1000) : null,
    };
  };

  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      signal: controller.signal,
    });
    status = res.status;
    if (!res.ok || !res.body) return result(false, `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const events = new FrameSplitter("\n\n");
    for await (const chunk of res.body) {
      for (const event of events.push(chunk)) {
        const data = sseEventData(event);
        if (data === null) continue;
        if (data === "[DONE]") return result(true, null);
        const parsed = JSON.parse(data);
        if (parsed.error) return result(false, `stream error: ${parsed.error.message}`);
        const choice = parsed.choices?.[0];
        const delta: string | undefined = choice?.delta?.content ?? choice?.text;
        if (delta) {
          const t = now();
          if (firstAt === null) {
            firstAt = t;
            if (timer) clearTimeout(timer);
          }
          lastAt = t;
          deltas++;
          text += delta;
        }
        if (parsed.timings) serverTimings = parsed.timings;
        if (parsed.usage) {
          usageTokens = parsed.usage.completion_tokens;
          promptTokens = parsed.usage.prompt_tokens ?? null;
        }
      }
    }
    return result(false, "the stream ended without [DONE]");
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    return result(false, reason instanceof Error ? reason.message : String(reason));
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
