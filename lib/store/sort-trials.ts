/** The order `runs show` lists trials in: stage 1 first, then the fastest first, unmeasured last, ties by id. */
import type { TrialRecord } from "./run-store.ts";

export function sortTrials(trials: readonly TrialRecord[]): TrialRecord[] {
  return [...trials].sort((a, b) => a.stage - b.stage || (b.tps ?? -Infinity) - (a.tps ?? -Infinity) || a.id - b.id);
}
