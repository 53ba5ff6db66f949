import { describe, expect, test } from "bun:test";
import { buildPrewarmDocument, prewarmExitCode } from "../../../lib/tune/build-prewarm-document.ts";
import { formatDownloadProgress, describePrewarmResult } from "../../../lib/tune/format-prewarm-progress.ts";
import { machineFacts } from "../../../lib/tune/machine-facts.ts";
import { memoryFitReason } from "../../../lib/tune/memory-fit-reason.ts";
import { prewarmTrial } from "../../../lib/tune/prewarm-trial.ts";
import type { PrewarmCandidate, TuneInputs } from "../../../lib/tune/tune-documents.ts";

const inputs: TuneInputs = {
  target_context: 8192, candidate_models: ["a", "b"], stage1_replicates: 2, stage2_replicates: 3, gate_ttft_ms: 2000,
  tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 2 ** 33, catalog: "fixtures", models_dir: "/models",
};
const machine = machineFacts({ totalRamBytes: 25_232_752_640, physicalCores: 2, chip: "Xeon", os: "Linux 6.1" }, "0.1.0");
const warmed: PrewarmCandidate = { name: "a", ref: "fixture:fx-1m", path: "/f/a.gguf", size_b: 1, status: "warmed", reason: null, estimate_bytes: 3e8, load_ms: 12 };
const broken: PrewarmCandidate = { ...warmed, name: "b", status: "integrity", reason: "model file /b failed the integrity check (bad_magic): x", load_ms: null };
const parts = { run_id: "r1", started_at: "2025-01-01T00:00:00.000Z", db: "/db", inputs, machine };

describe("buildPrewarmDocument()", () => {
  test.each([
    [[warmed], false, null, 0],
    [[{ ...warmed, status: "transient" as const, reason: "HTTP 500" }, { ...warmed, status: "too_big" as const, reason: "big" }], false, null, 0],
    [[warmed, broken], false, "pre_warm_integrity_failure", 5],
    [[warmed], true, "interrupted", 130],
  ])("buildPrewarmDocument() with %j (interrupted %p) has exit_reason %p and exit code %p", (candidates, interrupted, reason, code) => {
    const doc = buildPrewarmDocument({ ...parts, candidates, interrupted });
    expect(doc).toMatchObject({ stage: "prewarm", spec_version: "1", run_id: "r1", db: "/db", inputs, machine, candidates, exit_reason: reason });
    expect(prewarmExitCode(doc)).toBe(code);
  });
});

describe("machineFacts()", () => {
  test("machineFacts() states RAM in GiB to one decimal with the binary version and cores", () => {
    expect(machine).toEqual({ ram_gb: 23.5, chip: "Xeon", os_version: "Linux 6.1", binary_version: "0.1.0", physical_cores: 2 });
  });
});

describe("memoryFitReason()", () => {
  test.each([
    [100, 100, null],
    [99, 100, null],
    [3 * 2 ** 30, 2 ** 31, "needs an estimated 3.00 GiB at context 8192 (F16 KV, batch 1), over the memory budget of 2.00 GiB"],
    [2 ** 21, 2 ** 20, "needs an estimated 2 MiB at context 8192 (F16 KV, batch 1), over the memory budget of 1 MiB"],
  ])("memoryFitReason(%p, %p) is %p", (estimate, budget, reason) => {
    expect(memoryFitReason({ ramBytes: estimate, vramBytes: 0 }, { ramBudgetBytes: budget, vramBudgetBytes: 0 }, 8192)).toBe(reason);
  });

  const GiB = 2 ** 30;
  test.each([
    ["fits both pools", { ramBytes: GiB, vramBytes: 7 * GiB }, null],
    ["over the free VRAM", { ramBytes: GiB, vramBytes: 9 * GiB }, "needs an estimated 9.00 GiB of VRAM at context 8192 (F16 KV, batch 1, 33/33 layers on the GPU), over the VRAM budget of 8.00 GiB"],
    ["over the RAM left beside the offload", { ramBytes: 17 * GiB, vramBytes: 7 * GiB }, "needs an estimated 17.00 GiB at context 8192 (F16 KV, batch 1, 33/33 layers on the GPU), over the memory budget of 16.00 GiB"],
  ])("memoryFitReason() with a GPU: %s", (_, need, reason) => {
    expect(memoryFitReason(need, { ramBudgetBytes: 16 * GiB, vramBudgetBytes: 8 * GiB }, 8192, { gpuLayers: 33, totalLayers: 33 })).toBe(reason);
  });
});

describe("prewarmTrial()", () => {
  test("prewarmTrial() records an integrity failure as an infeasible stage-1 trial at the target context", () => {
    expect(prewarmTrial("r1", broken, inputs, "2025-01-01T00:00:01.000Z")).toEqual({
      run_id: "r1", stage: 1, model: "b", kv_bits: null, max_context_cap: 8192, max_batch: 1, fits: false, n_err: 0, replicates_n: 0,
      load_ms: null, notes: `pre-warm integrity: ${broken.reason}`, created_at: "2025-01-01T00:00:01.000Z",
    });
  });
});

describe("progress lines", () => {
  test("describePrewarmResult() says i/n, the outcome and the elapsed time", () => {
    expect(describePrewarmResult(warmed, 1, 5, 2500)).toBe("[1/5] a warmed: estimate 300 MB, weights read in 12 ms (2.5 s elapsed)");
    expect(describePrewarmResult({ ...warmed, estimate_vram_bytes: 4e9 }, 1, 5, 2500)).toBe("[1/5] a warmed: estimate 300 MB + 4000 MB VRAM, weights read in 12 ms (2.5 s elapsed)");
    expect(describePrewarmResult(broken, 2, 5, 3000)).toBe(`[2/5] b integrity: ${broken.reason} (3.0 s elapsed)`);
  });

  test("formatDownloadProgress() draws a bar with share, sizes and speed", () => {
    expect(formatDownloadProgress("m", 500e6, 1000e6, 20_000, 10)).toBe("m [#####.....]  50%  500/1000 MB  25.0 MB/s");
    expect(formatDownloadProgress("m", 0.5e6, 1e6, 1000, 4)).toBe("m [##..]  50%  0.5/1.0 MB  0.5 MB/s");
    expect(formatDownloadProgress("m", 5e6, 0, 1000)).toBe("m  5.0 MB  5.0 MB/s");
  });
});
