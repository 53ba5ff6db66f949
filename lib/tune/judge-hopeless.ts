/**
 * Whether the replicates measured so far already make a candidate infeasible, so the rest need not
 * run (S1-3: a hopeless candidate costs seconds, not minutes).
 */

type Measured = { ok: boolean; ttftMs: number | null };

/**
 * The least TTFT p95 (nearest rank) the full `replicates` can still reach, whatever the unmeasured
 * ones give: the k-th largest measured TTFT, k = how many values a p95 over `replicates` leaves
 * above it, plus one. null while too few are measured to bound it.
 */
export function p95LowerBound(ttftsMs: readonly number[], replicates: number): number | null {
  const above = replicates - Math.ceil(0.95 * replicates);
  const sorted = [...ttftsMs].sort((a, b) => b - a);
  return sorted[above] ?? null;
}

/** True after a failed replicate, or once the TTFT p95 is bound to exceed the gate. */
export function judgeHopeless(measured: readonly Measured[], replicates: number, gateTtftMs: number): boolean {
  if (measured.some((r) => !r.ok || r.ttftMs === null)) return true;
  const bound = p95LowerBound(measured.map((r) => r.ttftMs!), replicates);
  return bound !== null && bound > gateTtftMs;
}
