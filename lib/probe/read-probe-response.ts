/**
 * A whole recorded response read as a probe: the same ProbeAccumulator the live probe uses, with
 * times from an injected clock (read once at send, once per event, once at the end).
 */
import { FrameSplitter } from "./frame-splitter.ts";
import { ProbeAccumulator } from "./probe-accumulator.ts";
import type { ProbeResult } from "./probe-result.ts";

export type RecordedResponse = { status: number; body: string };

export function readProbeResponse(response: RecordedResponse, clock: () => number): ProbeResult {
  const probe = new ProbeAccumulator(clock());
  const ok = response.status >= 200 && response.status <= 299;
  probe.response(response.status, ok ? "" : response.body);
  if (ok) {
    // An unterminated last event is dropped, as an SSE client does (a cut stream has no [DONE]).
    for (const event of new FrameSplitter("\n\n").push(response.body)) if (probe.pushEvent(event, clock())) break;
  }
  return probe.finish(clock());
}
