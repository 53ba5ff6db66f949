/**
 * Per-cell figures over its replicates (S2-2): median aggregate tok/s, TTFT p95 over every stream of
 * every replicate, and feasibility — every replicate succeeded and the TTFT p95 is within the gate.
 */
import { ttftP95 } from "./stage1-ttft-p95.ts";

/** One replicate of one cell: B concurrent streams against a fresh serve started with the cell's knobs. */
export type CellReplicate = {
  ok: boolean;
  /** Aggregate decode tok/s: tokens after each stream's first, over the first first token to the last end. */
  tps: number | null;
  /** Each stream's TTFT, ms. */
  ttfts_ms: number[];
  /** One line; null when ok. */
  error: string | null;
};

export type CellSummary = {
  tps_median: number | null;
  /** This cell's own noise: 2 × the coefficient of variation of its replicates' tok/s; null with fewer than 2. */
  tps_spread: number | null;
  ttft_p95_ms: number | null;
  replicates: number;
  n_err: number;
  feasible: boolean;
  /** Why it is infeasible; null when feasible. */
  reason: string | null;
};

export function summarizeCell(replicates: readonly CellReplicate[], gateTtftMs: number): CellSummary {
  const ok = replicates.filter((r) => r.ok && r.tps !== null);
  const tps = ok.map((r) => r.tps!).sort((a, b) => a - b);
  const p95 = ttftP95(replicates.flatMap((r) => r.ttfts_ms));
  const nErr = replicates.length - ok.length;
  const failed = replicates.find((r) => !r.ok);
  let reason: string | null = null;
  if (replicates.length === 0) reason = "not measured";
  else if (failed) reason = `${nErr} of ${replicates.length} replicate(s) failed: ${failed.error ?? "unknown error"}`;
  else if (p95 === null) reason = "no first token was measured";
  else if (p95 > gateTtftMs) reason = `TTFT p95 ${Math.round(p95)} ms is over the ${gateTtftMs} ms gate`;
  return {
    tps_median: tps.length === 0 ? null : median(tps),
    tps_spread: spread(tps),
    ttft_p95_ms: p95,
    replicates: replicates.length,
    n_err: nErr,
    feasible: reason === null,
    reason,
  };
}

function spread(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return mean > 0 ? (2 * Math.sqrt(variance)) / mean : null;
}

export function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
