import { describe, expect, test } from "bun:test";
import { parseCandidateModels } from "../../../lib/tune/parse-candidate-models.ts";
import type { CatalogCandidate } from "../../../lib/tune/tune-documents.ts";

const catalog: CatalogCandidate[] = [
  { name: "big", model: "/b.gguf", size_b: 14 },
  { name: "mid", model: "/m.gguf", size_b: 7 },
  { name: "small", model: "/s.gguf", size_b: 1 },
];
const names = (raw: string | undefined) => parseCandidateModels(raw, catalog, "my.yaml").map((c) => c.name);

describe("parseCandidateModels()", () => {
  test.each([
    [undefined, ["big", "mid", "small"]],
    ["small,big", ["small", "big"]],
    ["small", ["small"]],
    [" mid , small ", ["mid", "small"]],
    ["small,mid,big", ["small", "mid", "big"]],
  ])("parseCandidateModels(%p) walks %p in exactly that order", (raw, expected) => {
    expect(names(raw)).toEqual(expected);
  });

  test.each([
    ["", /--candidate-models has an empty cell at position 1 in ""/],
    ["big,,small", /--candidate-models has an empty cell at position 2 in "big,,small"/],
    ["big,", /--candidate-models has an empty cell at position 2/],
    ["big,small,big", /--candidate-models lists "big" twice \(positions 1 and 3\)/],
    ["big,huge", /--candidate-models: "huge" at position 2 is not in the catalog my.yaml; known: big, mid, small/],
    ["Big", /"Big" at position 1 is not in the catalog/],
  ])("parseCandidateModels(%p) is a usage error naming the cell and its position", (raw, message) => {
    expect(() => names(raw)).toThrow(message);
  });
});
