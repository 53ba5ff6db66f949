/**
 * Sends one streaming completion and measures it as a client sees it: TTFT from sending the request
 * to the first content delta, then decode rate over the rest. Used by the demo, the benchmarks and
 * the tuning probes. The event handling is the pure ProbeAccumulator; this adds the socket and clock.
 */
import { FrameSplitter } from "../frame-splitter.ts";
import { ProbeAccumulator } from "../probe-accumulator.ts";
import type { ProbeResult } from "../probe-result.ts";

export type { ProbeResult } from "../probe-result.ts";

export type ProbeOptions = {
  /** Abort if no first token arrives within this many ms. */
  firstTokenTimeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  now?: () => number;
};

/** POSTs `body` (with `stream: true` and usage forced) to `url` and reads the SSE stream to its end. */
export async function probeCompletion(url: string, body: Record<string, unknown>, options: ProbeOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? (() => performance.now());
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timeoutMs = options.firstTokenTimeoutMs;
  const timer = timeoutMs ? setTimeout(() => controller.abort(new Error(`no first token within ${timeoutMs} ms`)), timeoutMs) : null;
  const probe = new ProbeAccumulator(now());
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      signal: controller.signal,
    });
    probe.response(res.status, res.ok ? "" : await res.text());
    if (!res.ok || !res.body) return probe.finish(now(), "the response has no body");
    const events = new FrameSplitter("\n\n");
    for await (const chunk of res.body) {
      for (const event of events.push(chunk)) {
        if (probe.pushEvent(event, now())) return probe.finish(now());
        if (timer && probe.hasFirstToken) clearTimeout(timer);
      }
    }
    return probe.finish(now());
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    return probe.finish(now(), reason instanceof Error ? reason.message : String(reason));
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
