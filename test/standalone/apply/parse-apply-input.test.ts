import { describe, expect, test } from "bun:test";
import { parseApplyInput } from "../../../lib/apply/parse-apply-input.ts";
import { recipe } from "./config-texts.ts";

const doc = (over: Record<string, unknown> = {}) => JSON.stringify({ stage: "stage2", exit_reason: "completed", recommendation: { model: "fx-1m", ...recipe("/m.gguf") }, ...over });

describe("parseApplyInput()", () => {
  test("parseApplyInput() reads the exit reason and the recommendation", () => {
    expect(parseApplyInput(doc())).toEqual({ exit_reason: "completed", recommendation: { model: "fx-1m", ...recipe("/m.gguf") } });
  });

  test("parseApplyInput() passes a document without a recommendation on", () => {
    expect(parseApplyInput(doc({ exit_reason: "all_infeasible", recommendation: null }))).toEqual({ exit_reason: "all_infeasible", recommendation: null });
  });

  const refused: [string, string, RegExp][] = [
    ["text that is not JSON", "{nope", /^apply: the input is not JSON/],
    ["another stage's document", JSON.stringify({ stage: "stage1" }), /not a stage2 document: "stage" is "stage1"/],
    ["an unknown exit reason", doc({ exit_reason: "great" }), /exit_reason "great" is not one of completed, /],
    ["a recommendation without a model path", doc({ recommendation: { knobs: recipe("/m").knobs } }), /recommendation\.model_path must be a non-empty string/],
    ["a kv_bits of 7", doc({ recommendation: recipe("/m.gguf", { kv_bits: 7 as 4 }) }), /recommendation\.knobs\.kv_bits is 7, expected 4, 8 or null/],
    ["threads of 0", doc({ recommendation: recipe("/m.gguf", { threads: 0 }) }), /knobs\.threads is 0, expected a positive integer/],
    ["a gpu serve does not know", doc({ recommendation: recipe("/m.gguf", { gpu: "rocm" as "cuda" }) }), /knobs\.gpu is "rocm", expected metal, cuda, vulkan, off, auto or null/],
    ["gpu_layers of -1", doc({ recommendation: recipe("/m.gguf", { gpu_layers: -1 }) }), /knobs\.gpu_layers is -1, expected auto, max, a layer count or null/],
  ];
  test.each(refused)("parseApplyInput() refuses %s with one line naming the field", (_, text, message) => {
    expect(() => parseApplyInput(text)).toThrow(message);
  });
});
