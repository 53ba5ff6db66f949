/**
 * The Stage 2 document (REC-2): the recommendation with its recipe hash, every measured cell, and
 * the provenance a result needs on a noisy machine (noise floor, tie band, search mode, trials).
 */
import type { FlashAttentionMode, GpuBackend, GpuLayersChoice, KvBits } from "../engine/engine-knobs.ts";
import type { Stage1Infeasible } from "./stage1-document.ts";
import type { Stage2Cell } from "./stage2-cells.ts";
import type { CellReplicate, CellSummary } from "./stage2-summary.ts";
import type { ExitReason, MachineFacts, TuneInputs } from "./tune-documents.ts";

/** The owned config keys of a recipe (APL-1), as serve's YAML names them. */
export type RecipeKnobs = {
  kv_bits: KvBits;
  max_concurrency_override: number;
  max_context_override: number;
  threads: number;
  flash_attention: FlashAttentionMode;
  engine: "prebuilt" | "local";
  /** The backend the cells ran on; null on a CPU-only machine (the key is removed: auto, which is the CPU there). */
  gpu: GpuBackend | null;
  /** Layers offloaded; null on a CPU-only machine. */
  gpu_layers: GpuLayersChoice | null;
};

export type Recommendation = {
  model: string;
  /** The GGUF the recipe serves (what `model:` in the config gets). */
  model_path: string;
  target_context: number;
  knobs: RecipeKnobs;
  tps_median: number;
  ttft_p95_ms: number | null;
  replicates: number;
  serve_command: string;
};

export type Stage2CellResult = { key: string; cell: Stage2Cell; summary: CellSummary; replicates: CellReplicate[]; kept: boolean };

export type Stage2Document = {
  stage: "stage2";
  spec_version: string;
  run_id: string;
  started_at: string;
  finished_at: string;
  db: string;
  machine: MachineFacts;
  inputs: TuneInputs;
  recommendation: Recommendation | null;
  /** Smaller candidates Stage 1 left untested (names only). */
  alternates: string[];
  /** Larger candidates that were infeasible, smallest first (S1-4). */
  infeasible: Stage1Infeasible[];
  exit_reason: ExitReason;
  recipe_hash: string | null;
  search: { mode: "default" | "exhaustive"; anchor: string; cells_total: number; cells_measured: number; trials: number; noise_floor: number; tie_band: number; wall_ms: number };
  cells: Stage2CellResult[];
};
