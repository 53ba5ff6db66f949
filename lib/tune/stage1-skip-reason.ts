/**
 * Why Stage 1 records a candidate as infeasible without loading it: pre-warm found it too big for
 * the memory budget (PW-3), could not make it local (PW-2 transient), or found it corrupt.
 */
import type { PrewarmCandidate } from "./tune-documents.ts";

/** null when the candidate is to be probed (warmed, with a local file). */
export function stage1SkipReason(candidate: PrewarmCandidate): string | null {
  const why = candidate.reason ?? "no reason recorded";
  switch (candidate.status) {
    case "warmed":
      return candidate.path ? null : "pre-warm left no local file";
    case "too_big":
      return `too big for this machine: ${why}`;
    case "transient":
      return `pre-warm failed (transient): ${why}`;
    case "integrity":
      return `integrity failure: ${why}`;
  }
}
