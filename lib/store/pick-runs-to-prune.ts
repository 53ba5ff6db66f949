/** The retention choice (DB-3): which runs to delete so that only the newest `keep` remain. */

/** A run as retention sees it; `seq` is its insertion order, which breaks ties between equal start times. */
export type RetainedRun = { run_id: string; started_at: string; seq: number };

/** `--keep-runs` when not given. */
export const DEFAULT_KEEP_RUNS = 50;

/** Returns the ids of the runs to delete, oldest first. `keep` is a non-negative integer (`--keep-runs`, default 50). */
export function pickRunsToPrune(runs: readonly RetainedRun[], keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`pruneRuns: keep must be a non-negative integer, got ${keep}`);
  const oldestFirst = [...runs].sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.seq - b.seq));
  return oldestFirst.slice(0, Math.max(0, oldestFirst.length - keep)).map((run) => run.run_id);
}
