/** Runs ↔ `tune_runs` rows: machine, inputs and recommendation as JSON text. */
import type { NewRun, RunOutcome, RunRecord, RunSummary, StoredRecommendation } from "./run-store.ts";
import type { SqlValue } from "./trial-row.ts";

export function runToRow(run: NewRun): Record<string, SqlValue> {
  return {
    run_id: run.run_id,
    spec_version: run.spec_version,
    started_at: run.started_at,
    machine: JSON.stringify(run.machine),
    inputs: JSON.stringify(run.inputs),
  };
}

/** The columns `finishRun` sets; a recipe hash without a recommendation is refused (REC-3). */
export function outcomeToRow(runId: string, outcome: RunOutcome): Record<string, SqlValue> {
  if (outcome.recommendation === null && outcome.recipe_hash !== null) {
    throw new Error(`finishRun: run "${runId}" has recipe_hash ${JSON.stringify(outcome.recipe_hash)} but no recommendation; the hash must be null then`);
  }
  return {
    run_id: runId,
    finished_at: outcome.finished_at,
    exit_reason: outcome.exit_reason,
    recipe_hash: outcome.recipe_hash,
    recommendation: outcome.recommendation === null ? null : JSON.stringify(outcome.recommendation),
    inputs: outcome.inputs === undefined ? null : JSON.stringify(outcome.inputs),
  };
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.parse(String(v)));
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function runFromRow(row: Record<string, unknown>): RunRecord {
  return {
    run_id: String(row.run_id),
    spec_version: text(row.spec_version),
    started_at: String(row.started_at),
    finished_at: text(row.finished_at),
    machine: json(row.machine),
    inputs: json(row.inputs),
    exit_reason: text(row.exit_reason),
    recipe_hash: text(row.recipe_hash),
    recommendation: json(row.recommendation) as StoredRecommendation | null,
  };
}

export function summaryFromRow(row: Record<string, unknown>): RunSummary {
  return {
    run_id: String(row.run_id),
    started_at: String(row.started_at),
    finished_at: text(row.finished_at),
    model: text(row.model),
    tps: row.tps === null || row.tps === undefined ? null : Number(row.tps),
    exit_reason: text(row.exit_reason),
    trials: Number(row.trials ?? 0),
  };
}
