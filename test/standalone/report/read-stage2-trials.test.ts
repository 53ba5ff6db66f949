import { describe, expect, test } from "bun:test";
import { rankKnobs } from "../../../lib/report/rank-knobs.ts";
import { readStage2Trials } from "../../../lib/report/read-stage2-trials.ts";
import { anchorTrial, cellTrial, completedRun, trial } from "./report-details.ts";

describe("readStage2Trials()", () => {
  test("readStage2Trials() reads one view per cell in measured order and the anchor apart", () => {
    const { cells, anchor } = readStage2Trials(completedRun().trials);
    expect(cells.map((c) => [c.key, c.tps, c.feasible, c.kept])).toEqual([
      ["kv=none fa=on t=4 b=1 ctx=4096 prebuilt", 40, true, false],
      ["kv=none fa=on t=4 b=2 ctx=4096 prebuilt", 60, true, true],
      ["kv=8 fa=on t=4 b=1 ctx=4096 prebuilt", 44, true, false],
      ["kv=8 fa=on t=4 b=2 ctx=4096 prebuilt", 70, false, false],
    ]);
    expect(cells[1]!.replicateTps).toEqual([58, 62]);
    expect(cells[3]!.reason).toBe("TTFT p95 2600 ms is over the 2000 ms gate");
    expect(cells[0]!.knobs).toMatchObject({ kv_bits: "unset", max_batch: "1", flash_attention: "on", gpu: "-" });
    expect(anchor).toEqual({ key: "kv=none fa=on t=4 b=1 ctx=4096 prebuilt", anchorTps: [39, 40, 42], noiseFloor: 0.05, tieBand: 0.05, search: "default" });
  });

  test("readStage2Trials() reads a row with plain-text notes (an older version) with the notes as its reason", () => {
    const { cells, anchor } = readStage2Trials([trial({ stage: 2, model: "m", id: 7, fits: false, notes: "load timeout" })]);
    expect(cells).toMatchObject([{ key: "trial 7", reason: "load timeout", replicateTps: [] }]);
    expect(anchor).toBeNull();
  });

  test("readStage2Trials() keeps a failed replicate as null", () => {
    const { cells } = readStage2Trials([cellTrial(4, 1, null, { reason: "2 of 2 replicate(s) failed: serve exited", reps: [null, null] })]);
    expect(cells[0]).toMatchObject({ tps: null, feasible: false, replicateTps: [null, null] });
  });
});

describe("rankKnobs()", () => {
  test("rankKnobs() orders the knobs that varied by the spread of their median tok/s", () => {
    const { cells } = readStage2Trials(completedRun().trials);
    // max_batch: median(40, 44) = 42 vs median(60, 70) = 65; kv_bits: 50 vs 57.
    expect(rankKnobs(cells)).toEqual([
      { knob: "max_batch", values: ["1", "2"], spreadTps: 23 },
      { knob: "kv_bits", values: ["unset", "8"], spreadTps: 7 },
    ]);
  });

  test("rankKnobs() leaves out knobs that took one value, and gives 0 to a knob measured under one value only", () => {
    const { cells } = readStage2Trials([cellTrial(null, 1, 40), cellTrial(4, 1, null, { reason: "failed" }), anchorTrial(0.1)]);
    expect(rankKnobs(cells)).toEqual([{ knob: "kv_bits", values: ["unset", "4"], spreadTps: 0 }]);
  });
});
