/** `runs show --json` documents (RunDetail) built in memory for the pure report tests. */
import type { RunDetail, RunRecord, TrialRecord } from "../../../lib/store/run-store.ts";
import type { TuneInputs } from "../../../lib/tune/tune-documents.ts";

const INPUTS: TuneInputs = {
  target_context: 4096, candidate_models: ["fx-250m", "fx-80m", "fx-30m", "fx-8m"], stage1_replicates: 2, stage2_replicates: 2,
  gate_ttft_ms: 2000, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 8e9, catalog: "fixtures", models_dir: "/models",
};

export function runRecord(fields: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: "run-1", spec_version: "1", started_at: "2025-06-01T10:00:00.000Z", finished_at: "2025-06-01T10:01:30.000Z",
    machine: { ram_gb: 16, chip: "Test CPU", os_version: "Linux 6.1", binary_version: "0.1.0", physical_cores: 4 },
    inputs: INPUTS, exit_reason: "completed", recipe_hash: null, recommendation: null, ...fields,
  };
}

let nextId = 1;
export function trial(fields: Partial<TrialRecord> & Pick<TrialRecord, "model">): TrialRecord {
  return {
    id: nextId++, run_id: "run-1", stage: 1, kv_bits: null, max_context_cap: 4096, max_batch: 1, threads: 4, flash_attention: null, engine: null,
    gpu: null, gpu_layers: null, fits: false, n_err: 0, replicates_n: 2, tps: null, ttft_p95_ms: null, load_ms: null, kept: false, notes: null,
    created_at: "2025-06-01T10:00:30.000Z", ...fields,
  };
}

/** A stage-2 row as Stage 2 writes it: knobs, figures, and the notes JSON. */
export function cellTrial(kv: 4 | 8 | null, batch: number, tps: number | null, fields: Partial<TrialRecord> & { reason?: string | null; reps?: (number | null)[] } = {}): TrialRecord {
  const { reason = null, reps = tps === null ? [null] : [tps], ...rest } = fields;
  return trial({
    stage: 2, model: "fx-30m", kv_bits: kv, max_batch: batch, flash_attention: "on", engine: "prebuilt", fits: reason === null, tps,
    ttft_p95_ms: tps === null ? null : 300, created_at: "2025-06-01T10:01:30.000Z",
    notes: JSON.stringify({ cell: `kv=${kv ?? "none"} fa=on t=4 b=${batch} ctx=4096 prebuilt`, reason, tps: reps }), ...rest,
  });
}

export function anchorTrial(noiseFloor: number): TrialRecord {
  return trial({
    stage: 2, model: "fx-30m", fits: true, created_at: "2025-06-01T10:01:30.000Z",
    notes: JSON.stringify({ anchor: "kv=none fa=on t=4 b=1 ctx=4096 prebuilt", anchor_tps: [39, 40, 42], noise_floor: noiseFloor, tie_band: 0.05, search: "default" }),
  });
}

export const RECOMMENDATION = {
  model: "fx-30m", model_path: "/models/fx-30m.gguf", target_context: 4096,
  knobs: { kv_bits: null, max_concurrency_override: 2, max_context_override: 4096, threads: 4, flash_attention: "on", engine: "prebuilt", gpu: null, gpu_layers: null },
  tps_median: 60, ttft_p95_ms: 900, replicates: 2, serve_command: "macprovider serve --model /models/fx-30m.gguf --max-batch 2",
};

/** A completed run: fx-80m too slow, fx-30m chosen; Stage 2 over kv_bits × max_batch with the b=2 unset cell kept. */
export function completedRun(): RunDetail {
  return {
    run: runRecord({ recipe_hash: "sha256:" + "c".repeat(64), recommendation: RECOMMENDATION }),
    trials: [
      trial({ model: "fx-80m", ttft_p95_ms: 3100, notes: "TTFT p95 3100 ms is over the 2000 ms gate; TTFTs 2900, 3100 ms", created_at: "2025-06-01T10:00:20.000Z" }),
      trial({ model: "fx-30m", fits: true, kept: true, ttft_p95_ms: 640, tps: 31, notes: "feasible; TTFTs 600, 640 ms" }),
      cellTrial(null, 1, 40),
      cellTrial(null, 2, 60, { kept: true, reps: [58, 62] }),
      cellTrial(8, 1, 44),
      cellTrial(8, 2, 70, { reason: "TTFT p95 2600 ms is over the 2000 ms gate" }),
      anchorTrial(0.05),
    ],
  };
}
