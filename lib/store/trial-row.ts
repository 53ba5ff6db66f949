/** Trials ↔ `tune_trials` rows: booleans as 0/1, unset knobs and figures as NULL, stage always explicit. */
import type { NewTrial, TrialRecord } from "./run-store.ts";

export type SqlValue = string | number | null;

/** The row to insert. A kept stage-2 row needs the run's others un-kept first: the store does that (S2-5). */
export function trialToRow(trial: NewTrial): Record<string, SqlValue> {
  if (trial.stage !== 1 && trial.stage !== 2) throw new RangeError(`addTrial: stage must be 1 or 2, got ${JSON.stringify(trial.stage)}`);
  if (trial.kv_bits != null && trial.kv_bits !== 4 && trial.kv_bits !== 8) throw new RangeError(`addTrial: kv_bits must be 4, 8 or null, got ${JSON.stringify(trial.kv_bits)}`);
  return {
    run_id: trial.run_id,
    stage: trial.stage,
    model: trial.model,
    kv_bits: trial.kv_bits ?? null,
    max_context_cap: trial.max_context_cap ?? null,
    max_batch: trial.max_batch ?? null,
    threads: trial.threads ?? null,
    flash_attention: trial.flash_attention ?? null,
    engine: trial.engine ?? null,
    gpu: trial.gpu ?? null,
    gpu_layers: trial.gpu_layers ?? null,
    fits: trial.fits ? 1 : 0,
    n_err: trial.n_err ?? 0,
    replicates_n: trial.replicates_n ?? null,
    tps: trial.tps ?? null,
    ttft_p95_ms: trial.ttft_p95_ms ?? null,
    load_ms: trial.load_ms ?? null,
    kept: trial.kept ? 1 : 0,
    notes: trial.notes ?? null,
    created_at: trial.created_at,
  };
}

/** A stored row (possibly a legacy one, with NULL in the columns it never had) as a trial. */
export function trialFromRow(row: Record<string, unknown>): TrialRecord {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(row.id),
    run_id: String(row.run_id),
    stage: Number(row.stage ?? 1) === 2 ? 2 : 1,
    model: String(row.model),
    kv_bits: row.kv_bits == null ? null : (Number(row.kv_bits) as 4 | 8),
    max_context_cap: num(row.max_context_cap),
    max_batch: num(row.max_batch),
    threads: num(row.threads),
    flash_attention: text(row.flash_attention),
    engine: text(row.engine),
    gpu: text(row.gpu),
    gpu_layers: text(row.gpu_layers),
    fits: Boolean(row.fits),
    n_err: Number(row.n_err ?? 0),
    replicates_n: num(row.replicates_n),
    tps: num(row.tps),
    ttft_p95_ms: num(row.ttft_p95_ms),
    load_ms: num(row.load_ms),
    kept: Boolean(row.kept),
    notes: text(row.notes),
    created_at: String(row.created_at ?? ""),
  };
}
