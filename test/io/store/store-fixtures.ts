/** Runs, trials and a legacy database for the run store tests. */
import { Database } from "bun:sqlite";
import type { NewRun, NewTrial } from "../../../lib/store/run-store.ts";
import type { TuneInputs } from "../../../lib/tune/tune-documents.ts";

export const MACHINE = { ram_gb: 16, chip: "Test CPU", os_version: "Linux 6.1", binary_version: "0.1.0", physical_cores: 4 };

export const INPUTS: TuneInputs = {
  target_context: 8192,
  candidate_models: ["fx-80m", "fx-30m", "fx-8m"],
  stage1_replicates: 2,
  stage2_replicates: 3,
  gate_ttft_ms: 2000,
  tps_tie_epsilon: 0.03,
  axes: { kv_bits: [null, 8, 4], max_batch: [1, 2] },
  memory_budget_bytes: 8e9,
  catalog: "/fixtures/catalog.yaml",
  models_dir: "/fixtures",
};

export function newRun(run_id: string, started_at = "2025-05-01T12:00:00.000Z"): NewRun {
  return { run_id, spec_version: "1", started_at, machine: MACHINE, inputs: INPUTS };
}

export function newTrial(run_id: string, fields: Partial<NewTrial> = {}): NewTrial {
  return { run_id, stage: 1, model: "fx-30m", fits: true, created_at: "2025-05-01T12:01:00.000Z", ...fields };
}

export function recommendation(model: string, tps_median: number) {
  return { model, target_context: 8192, knobs: { kv_bits: 8, max_concurrency_override: 2, threads: 4 }, tps_median, ttft_p95_ms: 420, replicates: 3, serve_command: `macprovider serve --model ${model}` };
}

/**
 * The original deployment's schema: no schema version, no stage or knob columns, no JSON documents.
 * Two runs with three trials; the second run's winner is kept.
 */
export function writeLegacyStore(path: string): void {
  const db = new Database(path, { create: true });
  db.run(`CREATE TABLE tune_runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, exit_reason TEXT)`);
  db.run(`CREATE TABLE tune_trials (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, model TEXT NOT NULL, threads INTEGER,
    fits INTEGER NOT NULL, n_err INTEGER NOT NULL DEFAULT 0, tps REAL, ttft_p95_ms REAL, load_ms REAL, kept INTEGER NOT NULL DEFAULT 0,
    notes TEXT, created_at TEXT NOT NULL)`);
  db.run(`INSERT INTO tune_runs VALUES ('old-1', '2024-01-01T00:00:00Z', '2024-01-01T00:10:00Z', 'completed'),
    ('old-2', '2024-02-01T00:00:00Z', '2024-02-01T00:10:00Z', 'all_infeasible')`);
  db.run(`INSERT INTO tune_trials (run_id, model, threads, fits, n_err, tps, ttft_p95_ms, load_ms, kept, notes, created_at) VALUES
    ('old-1', 'qwen-14b', 8, 0, 2, NULL, NULL, 900, 0, 'ttft over the gate', '2024-01-01T00:01:00Z'),
    ('old-1', 'qwen-7b', 8, 1, 0, 21.5, 640, 500, 1, NULL, '2024-01-01T00:02:00Z'),
    ('old-2', 'qwen-14b', 4, 0, 1, NULL, NULL, NULL, 0, 'load timeout', '2024-02-01T00:01:00Z')`);
  db.close();
}
