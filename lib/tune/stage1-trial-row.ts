/** A Stage 1 probe as a `tune_trials` row (DB-1): the knobs it ran with, its verdict and figures. */
import type { NewTrial } from "../store/run-store.ts";
import type { Stage1Trial } from "./stage1-document.ts";

/**
 * Knobs Stage 1 leaves at serve's defaults (kv_bits, flash attention, engine, GPU) are null.
 * `tps` is the median decode rate of the successful replicates; `kept` marks the selected candidate.
 */
export function stage1TrialRow(runId: string, trial: Stage1Trial, kept: boolean, createdAt: string): NewTrial {
  const ok = trial.replicates.filter((r) => r.ok);
  const rates = ok.flatMap((r) => (r.decode_tps === null ? [] : [r.decode_tps]));
  const ttfts = trial.replicates.map((r) => (r.ttft_ms === null ? "–" : String(Math.round(r.ttft_ms))));
  return {
    run_id: runId,
    stage: 1,
    model: trial.model,
    kv_bits: null,
    max_context_cap: trial.knobs.max_context,
    max_batch: trial.knobs.max_batch,
    threads: trial.knobs.threads,
    fits: trial.feasible,
    n_err: trial.n_err,
    replicates_n: trial.replicates.length,
    tps: median(rates),
    ttft_p95_ms: trial.ttft_p95_ms === null ? null : Math.round(trial.ttft_p95_ms),
    load_ms: trial.load_ms,
    kept,
    notes: `${trial.reason ?? "feasible"}${ttfts.length ? `; TTFTs ${ttfts.join(", ")} ms` : ""}`,
    created_at: createdAt,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
