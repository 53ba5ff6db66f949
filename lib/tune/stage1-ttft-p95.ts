/**
 * Stage 1's TTFT p95: the nearest-rank 95th percentile of the measured TTFTs, so with the default 2
 * replicates it is the slower one. null when nothing was measured.
 */
export function ttftP95(ttftsMs: readonly number[]): number | null {
  if (ttftsMs.length === 0) return null;
  const sorted = [...ttftsMs].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}
