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

/**
 * Index of the winning feasible cell, or null when none is feasible. Two cells tie on throughput
 * inside the run's band widened to either cell's own spread: the anchor's noise says little about a
 * cell that is noisier than it (2 threads on a shared 2-core machine swing ±20 %), and a median that
 * won by luck must not beat a steadier cell on throughput alone.
 */
export function pickWinner(summaries: readonly CellSummary[], band: number): number | null {
  let best: number | null = null;
  summaries.forEach((s, i) => {
    if (!s.feasible || s.tps_median === null) return;
    const inc = best === null ? null : summaries[best]!;
    const pairBand = Math.max(band, s.tps_spread ?? 0, inc?.tps_spread ?? 0);
    if (isNewBest({ tps: s.tps_median, ttftP95Ms: s.ttft_p95_ms }, inc && { tps: inc.tps_median!, ttftP95Ms: inc.ttft_p95_ms }, pairBand)) best = i;
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
