/**
 * The autotune run store (DB-1): the shapes going in and out of it, and the store's interface.
 * Field names are the column names (snake_case), so a row, a document and a JSON dump agree.
 */
import type { ExitReason, MachineFacts, TuneInputs } from "../tune/tune-documents.ts";

/** REC-2 `recommendation` as far as the store reads it; every other field is kept as given. */
export type StoredRecommendation = { model: string; tps_median?: number | null; [field: string]: unknown };

export type NewRun = {
  run_id: string;
  spec_version: string;
  /** ISO-8601. */
  started_at: string;
  machine: MachineFacts;
  inputs: TuneInputs;
};

export type RunOutcome = {
  /** ISO-8601. */
  finished_at: string;
  exit_reason: ExitReason;
  /** Null exactly when `recommendation` is null (REC-3). */
  recipe_hash: string | null;
  recommendation: StoredRecommendation | null;
  /** The inputs as the last stage completed them (Stage 2 adds its axes); kept as they were when absent. */
  inputs?: TuneInputs;
};

/**
 * A run as stored. Runs written by the original deployment have no spec version, machine or inputs,
 * and may carry exit reasons this version no longer produces, hence the nulls and the plain string.
 */
export type RunRecord = {
  run_id: string;
  spec_version: string | null;
  started_at: string;
  finished_at: string | null;
  machine: MachineFacts | null;
  inputs: TuneInputs | null;
  exit_reason: string | null;
  recipe_hash: string | null;
  recommendation: StoredRecommendation | null;
};

/** One probe (stage 1) or cell measurement (stage 2). Unset knobs and unmeasured figures are null. */
export type NewTrial = {
  run_id: string;
  /** Always explicit: only rows from before the stage column read back as stage 1 by default. */
  stage: 1 | 2;
  model: string;
  /** null = F16 (unset). */
  kv_bits?: 4 | 8 | null;
  max_context_cap?: number | null;
  max_batch?: number | null;
  threads?: number | null;
  flash_attention?: string | null;
  engine?: string | null;
  gpu?: string | null;
  /** `auto`, `max` or a layer count, as text. */
  gpu_layers?: string | null;
  fits: boolean;
  /** Defaults to 0. */
  n_err?: number;
  replicates_n?: number | null;
  tps?: number | null;
  ttft_p95_ms?: number | null;
  load_ms?: number | null;
  /** Defaults to false; a kept stage-2 trial un-keeps the run's other stage-2 trials. */
  kept?: boolean;
  /** A plain sentence or JSON text. */
  notes?: string | null;
  /** ISO-8601. */
  created_at: string;
};

export type TrialRecord = Required<NewTrial> & { id: number };

/** One line of `macprovider runs`: the recommended model and its tok/s (else the kept trial's). */
export type RunSummary = {
  run_id: string;
  started_at: string;
  finished_at: string | null;
  model: string | null;
  tps: number | null;
  exit_reason: string | null;
  trials: number;
};

/** `macprovider runs show --json`. */
export type RunDetail = { run: RunRecord; trials: TrialRecord[] };

export interface RunStore {
  /** The database file. */
  readonly path: string;
  createRun(run: NewRun): void;
  finishRun(runId: string, outcome: RunOutcome): void;
  /** Returns the new trial's id. */
  addTrial(trial: NewTrial): number;
  /** Makes this stage-2 trial the run's only kept one, in one transaction (S2-5). */
  markKept(runId: string, trialId: number): void;
  /** Keeps the newest `keep` runs; deletes the others with their trials in one transaction (DB-3). Returns the deleted run ids. */
  pruneRuns(keep: number): string[];
  /** Newest first; `limit` defaults to all. */
  listRuns(limit?: number): RunSummary[];
  /** The run and its trials in insertion order; null when there is no such run. */
  getRun(runId: string): RunDetail | null;
  close(): void;
}
