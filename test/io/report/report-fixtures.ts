/**
 * A run store written by hand for the report tests, with every figure known: a completed run whose
 * Stage 1 skipped, rejected, chose and left untested a candidate, and whose Stage 2 has a kept cell,
 * an infeasible faster cell and a cell whose replicates all failed; and a later, interrupted run.
 */
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import type { NewTrial } from "../../../lib/store/run-store.ts";
import type { TuneInputs } from "../../../lib/tune/tune-documents.ts";

export const DONE = "run-done";
export const CUT = "run-cut";
const MACHINE = { ram_gb: 16, chip: "Test CPU", os_version: "Linux 6.1", binary_version: "0.1.0", physical_cores: 4 };
const INPUTS: TuneInputs = {
  target_context: 4096, candidate_models: ["fx-250m", "fx-80m", "fx-30m", "fx-8m"], stage1_replicates: 2, stage2_replicates: 2,
  gate_ttft_ms: 2000, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 8e9, catalog: "fixtures", models_dir: "/models",
};
export const SERVE_COMMAND = "macprovider serve --model /models/fx-30m.gguf --kv-bits 8 --max-context 4096 --max-batch 1 --threads 4";

type Cell = { kv: 4 | 8 | null; b: number; tps: number | null; ttft: number | null; reps: (number | null)[]; reason: string | null; kept?: boolean };
const CELLS: Cell[] = [
  { kv: null, b: 1, tps: 40, ttft: 300, reps: [39, 41], reason: null },
  { kv: null, b: 2, tps: 60, ttft: 900, reps: [58, 62], reason: null },
  { kv: 8, b: 1, tps: 44, ttft: 320, reps: [43, 45], reason: null, kept: true },
  { kv: 8, b: 2, tps: 70, ttft: 2600, reps: [69, 71], reason: "TTFT p95 2600 ms is over the 2000 ms gate" },
  { kv: 4, b: 1, tps: null, ttft: null, reps: [null, null], reason: "2 of 2 replicate(s) failed: serve exited with code 134" },
];

/** What the DONE report must draw: Stage 2 is grouped by max_batch (spread 23 tok/s) over kv_bits (7). */
export const EXPECTED_MARKS = {
  stage1Bars: 2, stage1Labels: 4, cellBars: 4, cellLabels: 5, replicateTicks: 8, noiseBands: 2, ttftBars: 4, ttftGates: 2,
};

export function writeReportStore(path: string): void {
  const store = openRunStore(path);
  const at = (s: number) => new Date(Date.parse("2025-06-01T10:00:00.000Z") + s * 1000).toISOString();
  const trial = (fields: Partial<NewTrial> & Pick<NewTrial, "model" | "fits">, run = DONE): NewTrial => ({ run_id: run, stage: 1, created_at: at(30), ...fields });
  try {
    store.createRun({ run_id: DONE, spec_version: "1", started_at: at(0), machine: MACHINE, inputs: INPUTS });
    store.addTrial(trial({ model: "fx-80m", fits: false, ttft_p95_ms: 3100, load_ms: 900, replicates_n: 2, notes: "TTFT p95 3100 ms is over the 2000 ms gate; TTFTs 2900, 3100 ms", created_at: at(20) }));
    store.addTrial(trial({ model: "fx-30m", fits: true, kept: true, ttft_p95_ms: 640, tps: 31, load_ms: 400, replicates_n: 2, notes: "feasible; TTFTs 600, 640 ms", created_at: at(30) }));
    for (const c of CELLS) {
      store.addTrial(trial({
        stage: 2, model: "fx-30m", kv_bits: c.kv, max_batch: c.b, max_context_cap: 4096, threads: 4, flash_attention: "on", engine: "prebuilt",
        fits: c.reason === null, tps: c.tps, ttft_p95_ms: c.ttft, replicates_n: 2, kept: c.kept ?? false, created_at: at(90),
        notes: JSON.stringify({ cell: `kv=${c.kv ?? "none"} fa=on t=4 b=${c.b} ctx=4096 prebuilt`, reason: c.reason, tps: c.reps }),
      }));
    }
    store.addTrial(trial({
      stage: 2, model: "fx-30m", kv_bits: null, max_batch: 1, fits: true, replicates_n: 3, created_at: at(90),
      notes: JSON.stringify({ anchor: "kv=none fa=on t=4 b=1 ctx=4096 prebuilt", anchor_tps: [39, 40, 42], noise_floor: 0.05, tie_band: 0.05, search: "default" }),
    }));
    store.finishRun(DONE, {
      finished_at: at(90), exit_reason: "completed", recipe_hash: "sha256:" + "a".repeat(64),
      recommendation: { model: "fx-30m", model_path: "/models/fx-30m.gguf", target_context: 4096, knobs: { kv_bits: 8, max_concurrency_override: 1, max_context_override: 4096, threads: 4, flash_attention: "on", engine: "prebuilt", gpu: null, gpu_layers: null }, tps_median: 44, ttft_p95_ms: 320, replicates: 2, serve_command: SERVE_COMMAND },
    });
    store.createRun({ run_id: CUT, spec_version: "1", started_at: at(600), machine: MACHINE, inputs: INPUTS });
    store.addTrial(trial({ model: "fx-250m", fits: false, replicates_n: 0, n_err: 1, notes: "not ready within 60000 ms", created_at: at(660) }, CUT));
    store.finishRun(CUT, { finished_at: at(670), exit_reason: "interrupted", recipe_hash: null, recommendation: null });
  } finally {
    store.close();
  }
}
