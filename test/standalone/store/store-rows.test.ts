import { describe, expect, test } from "bun:test";
import { outcomeToRow, runFromRow, runToRow } from "../../../lib/store/run-row.ts";
import { trialFromRow, trialToRow } from "../../../lib/store/trial-row.ts";
import type { NewTrial } from "../../../lib/store/run-store.ts";
import type { TuneInputs } from "../../../lib/tune/tune-documents.ts";

const trial: NewTrial = { run_id: "r", stage: 2, model: "m", fits: true, kept: true, kv_bits: 8, tps: 12.5, created_at: "t" };

describe("trialToRow()", () => {
  test("trialToRow() writes booleans as 0/1 and every unset field as NULL", () => {
    expect(trialToRow({ run_id: "r", stage: 1, model: "m", fits: false, created_at: "t" })).toEqual({
      run_id: "r", stage: 1, model: "m", kv_bits: null, max_context_cap: null, max_batch: null, threads: null, flash_attention: null, engine: null,
      gpu: null, gpu_layers: null, fits: 0, n_err: 0, replicates_n: null, tps: null, ttft_p95_ms: null, load_ms: null, kept: 0, notes: null, created_at: "t",
    });
    expect(trialToRow(trial)).toMatchObject({ stage: 2, fits: 1, kept: 1, kv_bits: 8, tps: 12.5 });
  });

  test.each([
    ["stage 0", { stage: 0 }, "addTrial: stage must be 1 or 2, got 0"],
    ["no stage", { stage: undefined }, "addTrial: stage must be 1 or 2, got undefined"],
    ["kv_bits 16", { kv_bits: 16 }, "addTrial: kv_bits must be 4, 8 or null, got 16"],
  ])("trialToRow() with %s fails naming the field and the value", (_, fields, message) => {
    expect(() => trialToRow({ ...trial, ...(fields as object) } as NewTrial)).toThrow(message);
  });
});

describe("trialFromRow()", () => {
  test("trialFromRow() reads a legacy row without the new columns as stage 1 with NULL knobs", () => {
    const legacy = { id: 7, run_id: "r", model: "m", threads: 4, fits: 1, n_err: 0, tps: 3.5, ttft_p95_ms: 100, load_ms: null, kept: 1, notes: null, created_at: "t" };
    expect(trialFromRow(legacy)).toMatchObject({ id: 7, stage: 1, kv_bits: null, max_context_cap: null, max_batch: null, threads: 4, fits: true, kept: true, tps: 3.5 });
  });
});

describe("run rows", () => {
  test("runToRow() and runFromRow() keep machine and inputs as JSON", () => {
    const machine = { ram_gb: 8, chip: "c", os_version: "o", binary_version: "b", physical_cores: 2 };
    const inputs = { target_context: 1 } as TuneInputs;
    const row = runToRow({ run_id: "r", spec_version: "1", started_at: "s", machine, inputs });
    expect(row.machine).toBe(JSON.stringify(machine));
    expect(runFromRow({ ...row, finished_at: null, exit_reason: null, recipe_hash: null, recommendation: null })).toEqual({
      run_id: "r", spec_version: "1", started_at: "s", finished_at: null, machine, inputs, exit_reason: null, recipe_hash: null, recommendation: null,
    });
  });

  test("outcomeToRow() refuses a recipe hash without a recommendation", () => {
    expect(() => outcomeToRow("r", { finished_at: "f", exit_reason: "all_infeasible", recipe_hash: "sha256:ab", recommendation: null })).toThrow(
      'finishRun: run "r" has recipe_hash "sha256:ab" but no recommendation; the hash must be null then',
    );
    expect(outcomeToRow("r", { finished_at: "f", exit_reason: "completed", recipe_hash: "h", recommendation: { model: "m" } })).toEqual({
      run_id: "r", finished_at: "f", exit_reason: "completed", recipe_hash: "h", recommendation: '{"model":"m"}', inputs: null,
    });
  });

  test("outcomeToRow() carries the completed inputs when the last stage gives them (Stage 2's axes)", () => {
    const inputs = { target_context: 1, candidate_models: [], stage1_replicates: 1, stage2_replicates: 1, gate_ttft_ms: 1, tps_tie_epsilon: 0, axes: { max_batch: [1] }, memory_budget_bytes: 0, catalog: "c", models_dir: "d" };
    expect(outcomeToRow("r", { finished_at: "f", exit_reason: "completed", recipe_hash: "h", recommendation: { model: "m" }, inputs }).inputs).toBe(JSON.stringify(inputs));
  });
});
