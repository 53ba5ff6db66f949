import { describe, expect, test } from "bun:test";
import { OWNED_CONFIG_KEYS, recipeConfigEdits } from "../../../lib/apply/recipe-config-edits.ts";
import { SERVE_KNOBS } from "../../../lib/config/serve-knobs.ts";
import { recipe } from "./config-texts.ts";

describe("recipeConfigEdits()", () => {
  test("recipeConfigEdits() sets the model path and every knob the recipe sets, removing the unset ones", () => {
    expect(recipeConfigEdits(recipe("/m.gguf"))).toEqual({
      set: [["model", "/m.gguf"], ["max_context_override", 1024], ["max_concurrency_override", 2], ["threads", 2], ["flash_attention", "off"], ["engine", "prebuilt"]],
      remove: ["kv_bits", "gpu", "gpu_layers"],
    });
  });

  test("recipeConfigEdits() writes a set kv_bits and GPU knobs as they are", () => {
    const edits = recipeConfigEdits(recipe("/m.gguf", { kv_bits: 8, gpu: "metal", gpu_layers: "max" }));
    expect(edits.set).toContainEqual(["kv_bits", 8]);
    expect(edits.set).toContainEqual(["gpu", "metal"]);
    expect(edits.set).toContainEqual(["gpu_layers", "max"]);
    expect(edits.remove).toEqual([]);
  });

  test("recipeConfigEdits() writes a layer count as a YAML number", () => {
    expect(recipeConfigEdits(recipe("/m.gguf", { gpu: "cuda", gpu_layers: 28 })).set).toContainEqual(["gpu_layers", 28]);
  });

  test("OWNED_CONFIG_KEYS are serve's YAML names for the knobs serve reads", () => {
    const yamlNames = new Set<string>(SERVE_KNOBS.map((k) => k.yaml));
    expect(OWNED_CONFIG_KEYS.filter((key) => !yamlNames.has(key))).toEqual([]);
  });
});
