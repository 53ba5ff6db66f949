/**
 * S2-4: the noise floor and drift, from the anchor cell's repeated measurements. The noise floor is
 * two coefficients of variation of the anchor's throughput (a change within 2σ of a re-run baseline
 * is noise, not a win); drift is a jump between two consecutive anchors larger than the floor or
 * 10 %, whichever is larger (llama.cpp's Metal tuner discards a round on 10 %).
 */
export const DRIFT_MIN = 0.1;

/** 2 × stdev / mean of the anchor's tok/s; 0 with fewer than two measurements. */
export function noiseFloor(anchorTps: readonly number[]): number {
  const xs = anchorTps.filter((x) => x > 0);
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return (2 * Math.sqrt(variance)) / mean;
}

export type Measured = { cell: number; anchor: boolean; tps: number | null };

/**
 * The non-anchor measurements (by position in `runs`) taken between two anchors whose throughput
 * differs by more than the drift threshold: they are measured again.
 */
export function driftedRuns(runs: readonly Measured[], floor: number): number[] {
  const threshold = Math.max(floor, DRIFT_MIN);
  const anchors = runs.flatMap((r, i) => (r.anchor && r.tps !== null && r.tps > 0 ? [i] : []));
  const out: number[] = [];
  for (let k = 1; k < anchors.length; k++) {
    const a = runs[anchors[k - 1]!]!.tps!;
    const b = runs[anchors[k]!]!.tps!;
    if (Math.abs(b - a) / Math.max(a, b) <= threshold) continue;
    for (let i = anchors[k - 1]! + 1; i < anchors[k]!; i++) if (!runs[i]!.anchor) out.push(i);
  }
  return out;
}
