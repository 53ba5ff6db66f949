/**
 * The JSON documents the autotune stages pipe to each other (PIPE-1): catalog → prewarm → stage1 →
 * stage2. Each carries the run id, inputs and machine, so a later stage can be rerun alone.
 * Field names are snake_case: they are the stable, user-visible contract.
 */

/** The spec version stored on runs and printed in documents (REC-2). */
export const TUNE_SPEC_VERSION = "1";

/** Every autotune exit reason and its exit code (ERR-1). */
export const EXIT_REASONS = {
  completed: 0,
  config_error: 64,
  all_infeasible: 3,
  stage2_no_feasible_cell: 4,
  pre_warm_integrity_failure: 5,
  provider_conflict: 6,
  apply_failed: 7,
  interrupted: 130,
  internal_error: 70,
} as const;
export type ExitReason = keyof typeof EXIT_REASONS;

/** REC-2 `machine`: what the recipe is for. */
export type MachineFacts = { ram_gb: number; chip: string; os_version: string; binary_version: string; physical_cores: number };

/** One catalog entry (MOD-2): `model` is a local path (absolute, or relative to the catalog) or an `hf:`/URL reference. */
export type CatalogCandidate = { name: string; model: string; size_b: number; sha256?: string; bytes?: number };

/** The inputs every stage carries forward (REC-2 `inputs`, plus what the stages need to run alone). */
export type TuneInputs = {
  target_context: number;
  /** Candidate names in walk order (the catalog's order, or `--candidate-models`). */
  candidate_models: string[];
  stage1_replicates: number;
  stage2_replicates: number;
  gate_ttft_ms: number;
  tps_tie_epsilon: number;
  /** Stage 2 axes (filled by stage 2's parser; {} before). */
  axes: Record<string, unknown>;
  memory_budget_bytes: number;
  catalog: string;
  models_dir: string;
};

export type PrewarmStatus = "warmed" | "transient" | "integrity" | "too_big";

export type PrewarmCandidate = {
  name: string;
  ref: string;
  /** The local GGUF; null when it could not be made local. */
  path: string | null;
  size_b: number;
  status: PrewarmStatus;
  /** One line; null when warmed. */
  reason: string | null;
  /** RAM the candidate needs at the target context (with a GPU: beside what serve would offload). */
  estimate_bytes: number | null;
  /** VRAM it needs with serve's default offload; present on a machine with a GPU. */
  estimate_vram_bytes?: number;
  /** Time to make the weights local and read them once (download excluded), ms; null when not reached. */
  load_ms: number | null;
};

/** What every stage document carries forward (PIPE-1), so a later stage can run alone. */
export type RunDocumentHeader = {
  spec_version: string;
  run_id: string;
  started_at: string;
  /** The run store this run is recorded in (`--db`). */
  db: string;
  inputs: TuneInputs;
  machine: MachineFacts;
};

export type PrewarmDocument = RunDocumentHeader & {
  stage: "prewarm";
  candidates: PrewarmCandidate[];
  exit_reason: ExitReason | null;
};
