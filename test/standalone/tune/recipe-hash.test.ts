import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { recipeCanonicalJson, recipeHash, recipeInputs } from "../../../lib/tune/recipe-hash.ts";

const recipe = {
  machine: { ram_gb: 23.5, chip: "Xeon", os_version: "Linux 6.1", binary_version: "0.1.0", physical_cores: 2 },
  inputs: { target_context: 8192, gate_ttft_ms: 2000, tps_tie_epsilon: 0.03, candidate_models: ["fx-500m", "fx-250m"], axes: { max_batch: [1, 2], kv_bits: [null, 8] } },
  recommendation: {
    model: "fx-500m",
    knobs: { kv_bits: null, max_concurrency_override: 2, max_context_override: 8192, threads: 2, flash_attention: "on", engine: "prebuilt", gpu: null, gpu_layers: null },
    tps_median: 41.2, // measured figures are not part of the identity
  },
};

// RFC 8785 by hand: keys sorted by UTF-16 code units at every level, no whitespace, numbers in
// their shortest ECMAScript form (23.5, 0.03), null kept, arrays in order.
const CANONICAL =
  '{"inputs":{"axes":{"kv_bits":[null,8],"max_batch":[1,2]},"candidate_models":["fx-500m","fx-250m"],"gate_ttft_ms":2000,"target_context":8192,"tps_tie_epsilon":0.03},' +
  '"machine":{"binary_version":"0.1.0","chip":"Xeon","os_version":"Linux 6.1","physical_cores":2,"ram_gb":23.5},' +
  '"recommendation":{"knobs":{"engine":"prebuilt","flash_attention":"on","gpu":null,"gpu_layers":null,"kv_bits":null,"max_concurrency_override":2,"max_context_override":8192,"threads":2},"model":"fx-500m"}}';

describe("recipeHash()", () => {
  test("recipeCanonicalJson() is exactly the hand-written RFC 8785 text of {machine, inputs, recommendation: {model, knobs}}", () => {
    expect(recipeCanonicalJson(recipe)).toBe(CANONICAL);
  });

  test("recipeHash() is sha256: + the lowercase hex SHA-256 of that text", () => {
    const hex = createHash("sha256").update(CANONICAL).digest("hex");
    expect(recipeHash(recipe)).toBe(`sha256:${hex}`);
    expect(recipeHash(recipe)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("recipeHash() ignores measured figures, run ids and key order", () => {
    const reordered = { recommendation: { knobs: { ...recipe.recommendation.knobs }, model: "fx-500m", tps_median: 1 }, inputs: recipe.inputs, machine: recipe.machine, run_id: "x" };
    expect(recipeHash(reordered)).toBe(recipeHash(recipe));
  });

  test.each([
    ["a knob", { ...recipe, recommendation: { ...recipe.recommendation, knobs: { ...recipe.recommendation.knobs, threads: 1 } } }],
    ["the model", { ...recipe, recommendation: { ...recipe.recommendation, model: "fx-250m" } }],
    ["an input", { ...recipe, inputs: { ...recipe.inputs, gate_ttft_ms: 1000 } }],
    ["the machine", { ...recipe, machine: { ...recipe.machine, ram_gb: 31 } }],
  ])("recipeHash() changes with %s", (_, changed) => {
    expect(recipeHash(changed)).not.toBe(recipeHash(recipe));
  });

  test("recipeInputs() keeps exactly REC-2's inputs, leaving out where files live and the budget", () => {
    const full = { target_context: 8192, candidate_models: ["a"], stage1_replicates: 2, stage2_replicates: 3, gate_ttft_ms: 2000, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 1, catalog: "/x/c.yaml", models_dir: "/home/x/models" };
    expect(Object.keys(recipeInputs(full)).sort()).toEqual(["axes", "candidate_models", "gate_ttft_ms", "stage1_replicates", "stage2_replicates", "target_context", "tps_tie_epsilon"]);
  });
});
