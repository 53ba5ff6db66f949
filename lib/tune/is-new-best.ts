/**
 * S2-3: whether a measured cell replaces the best so far. Throughput first; inside the relative tie
 * band the lower TTFT p95 wins; an unmeasurable TTFT never wins a tie; when the best so far has
 * 0 tokens/s any positive candidate wins. Applied in cell order, so on a full tie the earlier cell stays.
 */
export type Contender = { tps: number; ttftP95Ms: number | null };

/**
 * `tieBand`: the relative band (e.g. 0.03 = 3 % of the incumbent's tok/s) inside which two cells
 * tie on throughput; Stage 2 never passes one narrower than the measured noise floor.
 */
export function isNewBest(candidate: Contender, best: Contender | null, tieBand: number): boolean {
  if (best === null) return true;
  if (best.tps <= 0) return candidate.tps > 0;
  const band = best.tps * tieBand;
  if (candidate.tps > best.tps + band) return true;
  if (candidate.tps < best.tps - band) return false;
  // A tie on throughput: latency decides, and only a measured latency can win.
  if (candidate.ttftP95Ms === null) return false;
  if (best.ttftP95Ms === null) return true;
  return candidate.ttftP95Ms < best.ttftP95Ms;
}
