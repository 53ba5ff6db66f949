/**
 * The Stage 2 decisions over the per-cell summaries, in cell order: the winner by isNewBest (S2-3)
 * inside a tie band never narrower than the noise floor, and the cells that could still win (the
 * pruned search measures only those again).
 */
import { isNewBest } from "./is-new-best.ts";
import type { CellSummary } from "./stage2-summary.ts";

/** The relative tie band: the operator's epsilon, widened to the measured noise floor. */
export function tieBand(epsilon: number, noise: number): number {
  return Math.max(epsilon, noise);
}

/** Index of the winning feasible cell, or null when none is feasible. */
export function pickWinner(summaries: readonly CellSummary[], band: number): number | null {
  let best: number | null = null;
  summaries.forEach((s, i) => {
    if (!s.feasible || s.tps_median === null) return;
    const incumbent = best === null ? null : { tps: summaries[best]!.tps_median!, ttftP95Ms: summaries[best]!.ttft_p95_ms };
    if (isNewBest({ tps: s.tps_median, ttftP95Ms: s.ttft_p95_ms }, incumbent, band)) best = i;
  });
  return best;
}

/**
 * Cells whose one measurement does not rule them out: feasible, or infeasible only by a TTFT within
 * the band of the gate (noise could flip it), and within two bands of the best throughput.
 */
export function contenders(summaries: readonly CellSummary[], band: number, gateTtftMs: number): number[] {
  const near = (s: CellSummary) =>
    s.feasible || (s.n_err === 0 && s.ttft_p95_ms !== null && s.ttft_p95_ms <= gateTtftMs * (1 + band));
  const best = Math.max(0, ...summaries.filter(near).map((s) => s.tps_median ?? 0));
  return summaries.flatMap((s, i) => (near(s) && (s.tps_median ?? 0) >= best * (1 - 2 * band) ? [i] : []));
}
