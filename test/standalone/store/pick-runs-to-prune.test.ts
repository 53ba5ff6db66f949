import { describe, expect, test } from "bun:test";
import { pickRunsToPrune } from "../../../lib/store/pick-runs-to-prune.ts";

const runs = [
  { run_id: "c", started_at: "2025-05-03T00:00:00Z", seq: 1 },
  { run_id: "a", started_at: "2025-05-01T00:00:00Z", seq: 2 },
  { run_id: "b1", started_at: "2025-05-02T00:00:00Z", seq: 3 },
  { run_id: "b2", started_at: "2025-05-02T00:00:00Z", seq: 4 },
];

describe("pickRunsToPrune()", () => {
  test.each([
    [10, []],
    [4, []],
    [3, ["a"]],
    [2, ["a", "b1"]],
    [1, ["a", "b1", "b2"]],
    [0, ["a", "b1", "b2", "c"]],
  ])("pickRunsToPrune(keep %p) deletes the oldest runs first, ties in insertion order: %p", (keep, doomed) => {
    expect(pickRunsToPrune(runs, keep)).toEqual(doomed);
  });

  test.each([-1, 1.5, Number.NaN])("pickRunsToPrune() refuses keep %p", (keep) => {
    expect(() => pickRunsToPrune(runs, keep)).toThrow(`pruneRuns: keep must be a non-negative integer, got ${keep}`);
  });
});
