/**
 * S1-3 on plain data: a candidate is feasible when it became ready, the warm-up and every replicate
 * succeeded with a first token by 3× the gate, no special text leaked and the TTFT p95 is within the gate.
 */
import { findLeakedSpecialText } from "../probe/find-leaked-special-text.ts";
import { p95LowerBound } from "./judge-hopeless.ts";
import type { Stage1Replicate } from "./stage1-document.ts";
import { ttftP95 } from "./stage1-ttft-p95.ts";

/** What a request looked like to the client (a subset of ProbeResult). */
export type RequestOutcome = { ok: boolean; ttftMs: number | null; completionTokens: number | null; decodeTokensPerSecond: number | null; error: string | null; text: string };

/** A probe as measured: readiness, the untimed warm-up, the timed replicates (stopped once hopeless, see judgeHopeless). */
export type CandidateMeasurement = {
  ready: boolean;
  /** Why it did not become ready (exited while starting, load timeout). */
  readyError: string | null;
  loadMs: number | null;
  /** null when not reached. */
  warmup: RequestOutcome | null;
  replicates: RequestOutcome[];
};

export type JudgeOptions = {
  gateTtftMs: number;
  /** Replicates the probe was asked to run. */
  replicates: number;
  /** The model's own special texts, searched besides the common ones. */
  specials?: readonly string[];
};

export type CandidateVerdict = {
  feasible: boolean;
  ttftP95Ms: number | null;
  /** Why not feasible, one line; null when feasible. */
  reason: string | null;
  replicates: Stage1Replicate[];
  /** Failed steps: not ready, the warm-up, each replicate. */
  errors: number;
};

export function judgeCandidate(m: CandidateMeasurement, options: JudgeOptions): CandidateVerdict {
  const replicates = m.replicates.map((r): Stage1Replicate => ({
    ok: r.ok, ttft_ms: round1(r.ttftMs), completion_tokens: r.completionTokens, decode_tps: round1(r.decodeTokensPerSecond), error: r.error,
    leaked: findLeakedSpecialText(r.text, options.specials),
  }));
  const p95 = ttftP95(m.replicates.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs])));
  const errors = (m.ready ? 0 : 1) + (m.warmup?.ok === false ? 1 : 0) + m.replicates.filter((r) => !r.ok).length;
  const reason = firstProblem(m, replicates, p95, options);
  return { feasible: reason === null, ttftP95Ms: round1(p95), reason, replicates, errors };
}

function firstProblem(m: CandidateMeasurement, replicates: Stage1Replicate[], p95: number | null, options: JudgeOptions): string | null {
  const abortMs = 3 * options.gateTtftMs;
  if (!m.ready) return `not ready: ${m.readyError ?? "unknown reason"}`;
  if (!m.warmup) return "the warm-up request was not sent";
  if (!m.warmup.ok) return `warm-up request failed: ${m.warmup.error}`;
  const n = options.replicates;
  for (const [i, r] of replicates.entries()) {
    const which = `replicate ${i + 1}/${n}`;
    if (!r.ok) return `${which} failed: ${r.error}`;
    if (r.ttft_ms === null) return `${which} streamed no content`;
    if (r.ttft_ms > abortMs) return `${which}: no first token by ${abortMs} ms (3× the gate)`;
    if (r.leaked.length > 0) return `${which} leaked special text ${r.leaked.map((s) => JSON.stringify(s)).join(", ")}`;
  }
  if (replicates.length < n) {
    const bound = p95LowerBound(replicates.map((r) => r.ttft_ms!), n);
    if (bound !== null && bound > options.gateTtftMs) {
      return `TTFT p95 ≥ ${Math.ceil(bound)} ms > gate ${options.gateTtftMs} ms (stopped after ${replicates.length} of ${n} replicates)`;
    }
    return `only ${replicates.length} of ${n} replicates ran`;
  }
  if (p95 !== null && p95 > options.gateTtftMs) return `TTFT p95 ${Math.ceil(p95)} ms > gate ${options.gateTtftMs} ms`;
  return null;
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}
