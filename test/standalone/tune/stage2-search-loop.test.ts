import { describe, expect, test } from "bun:test";
import { stage2Search } from "../../../lib/tune/io/stage2-search.ts";
import { defaultStage2Axes } from "../../../lib/tune/parse-stage2-axes.ts";
import { cellKey, type Stage2Cell } from "../../../lib/tune/stage2-cells.ts";
import type { CellReplicate } from "../../../lib/tune/stage2-summary.ts";

const axes = { ...defaultStage2Axes({ targetContext: 1024, cores: 2, engines: ["prebuilt"] }), kv_bits: [null], flash_attention: ["on" as const], max_batch: [1] };

/** A deterministic machine: 1 thread is over the gate, 2 threads give 100, 101, 99, … tok/s. */
function fakeMachine() {
  const seen: string[] = [];
  let k = 0;
  return {
    seen,
    measure: async (cell: Stage2Cell): Promise<CellReplicate> => {
      seen.push(cellKey(cell));
      if (cell.threads === 1) return { ok: false, tps: null, ttfts_ms: [], error: "no first token within 2000 ms" };
      return { ok: true, tps: 100 + [0, 1, -1][k++ % 3]!, ttfts_ms: [500], error: null };
    },
  };
}

describe("stage2Search()", () => {
  test("stage2Search() moves the anchor to the first cell that gives a figure when the first cell never does", async () => {
    const m = fakeMachine();
    const r = await stage2Search({ axes, exhaustive: false, replicates: 2, gateTtftMs: 2000, epsilon: 0.03, anchorEvery: 4, measure: m.measure, log: () => {} });
    expect(cellKey(r.cells[r.anchorCell]!)).toBe("kv=none fa=on t=2 b=1 ctx=1024 prebuilt");
    expect(r.anchorTps.length).toBeGreaterThan(0);
    expect(r.noiseFloor).toBeGreaterThan(0);
    expect(r.summaries[0]!.feasible).toBe(false);
  });

  test("stage2Search() keeps the first cell as the anchor when it gives a figure, and re-measures it every round", async () => {
    const m = fakeMachine();
    const r = await stage2Search({ axes: { ...axes, threads: [2] }, exhaustive: true, replicates: 3, gateTtftMs: 2000, epsilon: 0.03, anchorEvery: 4, measure: m.measure, log: () => {} });
    expect(r.anchorCell).toBe(0);
    expect(r.anchorTps.length).toBe(6); // start and end of each of 3 rounds
    expect(r.trials).toBe(3 + 6);
  });
});
