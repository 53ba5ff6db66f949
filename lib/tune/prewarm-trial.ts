import type { NewTrial } from "../store/run-store.ts";
import type { PrewarmCandidate, TuneInputs } from "./tune-documents.ts";

/**
 * The stage-1 trial row of a candidate that failed pre-warm (PW-2: the trial is recorded before the
 * run aborts): not feasible, no replicate ran, the reason in `notes`. Knobs are the probe's: the
 * target context, max batch 1, F16 KV.
 */
export function prewarmTrial(runId: string, candidate: PrewarmCandidate, inputs: TuneInputs, createdAt: string): NewTrial {
  return {
    run_id: runId,
    stage: 1,
    model: candidate.name,
    kv_bits: null,
    max_context_cap: inputs.target_context,
    max_batch: 1,
    fits: false,
    n_err: 0,
    replicates_n: 0,
    load_ms: candidate.load_ms,
    notes: `pre-warm ${candidate.status}: ${candidate.reason ?? "no reason recorded"}`,
    created_at: createdAt,
  };
}
