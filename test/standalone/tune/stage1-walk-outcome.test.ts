import { describe, expect, test } from "bun:test";
import { stage1WalkOutcome, type WalkCandidate, type WalkStep } from "../../../lib/tune/stage1-walk-outcome.ts";

const CATALOG: WalkCandidate[] = [
  { name: "big", size_b: 14 },
  { name: "mid", size_b: 7 },
  { name: "small", size_b: 3 },
  { name: "tiny", size_b: 0.5 },
];
const fail = (name: string, reason = `${name} too slow`): WalkStep => ({ name, feasible: false, reason });
const pass = (name: string): WalkStep => ({ name, feasible: true, reason: null });

describe("stage1WalkOutcome()", () => {
  test("stage1WalkOutcome() selects the first feasible and lists the smaller untested as alternates", () => {
    expect(stage1WalkOutcome(CATALOG, [fail("big"), pass("mid")])).toEqual({
      selected: "mid",
      infeasible: [{ model: "big", rank: 1, size_b: 14, reason: "big too slow" }],
      alternates: ["small", "tiny"],
      message: null,
    });
  });

  test("stage1WalkOutcome() leaves larger untested candidates out of the alternates (small-first walk)", () => {
    const smallFirst = [...CATALOG].reverse();
    expect(stage1WalkOutcome(smallFirst, [pass("tiny")])).toMatchObject({ selected: "tiny", infeasible: [], alternates: [] });
    const order = [CATALOG[1]!, CATALOG[0]!, CATALOG[3]!, CATALOG[2]!];
    expect(stage1WalkOutcome(order, [pass("mid")]).alternates).toEqual(["tiny", "small"]);
  });

  test("stage1WalkOutcome() leads an all-infeasible report with the smallest by size, whatever the walk order", () => {
    const smallFirst = [...CATALOG].reverse();
    const outcome = stage1WalkOutcome(smallFirst, smallFirst.map((c) => fail(c.name)));
    expect(outcome.selected).toBeNull();
    expect(outcome.infeasible.map((i) => [i.model, i.rank])).toEqual([["tiny", 1], ["small", 2], ["mid", 3], ["big", 4]]);
    expect(outcome.message).toBe("even tiny: tiny too slow");
    expect(outcome.alternates).toEqual([]);

    const shuffled = [CATALOG[2]!, CATALOG[0]!, CATALOG[3]!, CATALOG[1]!];
    const again = stage1WalkOutcome(shuffled, shuffled.map((c) => fail(c.name)));
    expect(again.infeasible.map((i) => i.model)).toEqual(["tiny", "small", "mid", "big"]);
    expect(again.infeasible[0]).toEqual({ model: "tiny", rank: 3, size_b: 0.5, reason: "tiny too slow" });
  });

  test("stage1WalkOutcome() keeps the walk order between candidates of equal size", () => {
    const twins: WalkCandidate[] = [{ name: "b", size_b: 1 }, { name: "a", size_b: 1 }];
    expect(stage1WalkOutcome(twins, [fail("b"), fail("a")]).infeasible.map((i) => i.model)).toEqual(["b", "a"]);
  });

  test("stage1WalkOutcome() says so when there was nothing to walk", () => {
    expect(stage1WalkOutcome([], [])).toEqual({ selected: null, infeasible: [], alternates: [], message: "no candidates to probe" });
  });
});
