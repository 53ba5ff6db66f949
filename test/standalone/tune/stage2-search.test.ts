import { describe, expect, test } from "bun:test";
import { driftedRuns, noiseFloor } from "../../../lib/tune/stage2-noise.ts";
import { roundSchedule } from "../../../lib/tune/stage2-schedule.ts";
import { summarizeCell, type CellReplicate } from "../../../lib/tune/stage2-summary.ts";
import { contenders, pickWinner, tieBand } from "../../../lib/tune/stage2-winner.ts";

const rep = (tps: number, ttfts: number[] = [100], ok = true): CellReplicate => ({ ok, tps: ok ? tps : null, ttfts_ms: ok ? ttfts : [], error: ok ? null : "HTTP 503" });

describe("roundSchedule()", () => {
  const cells = [0, 1, 2, 3, 4, 5, 6];
  test("roundSchedule() measures every cell once with the anchor at the start, every k cells and at the end", () => {
    const runs = roundSchedule(cells, 0, 0, 3);
    expect(runs.filter((r) => !r.anchor).map((r) => r.cell).sort()).toEqual(cells);
    expect(runs.map((r) => (r.anchor ? "A" : String(r.cell))).join("")).toBe("A012A345A6A");
  });

  test("roundSchedule() rotates the order from round to round and never runs a cell twice in a row", () => {
    const rounds = [0, 1, 2].map((r) => roundSchedule(cells, r, 0, 3).filter((x) => !x.anchor).map((x) => x.cell));
    expect(rounds[1]).not.toEqual(rounds[0]);
    expect(rounds[2]).not.toEqual(rounds[1]);
    const flat = rounds.flat();
    for (let i = 1; i < flat.length; i++) expect(flat[i]).not.toBe(flat[i - 1]);
  });
});

describe("noiseFloor() and driftedRuns()", () => {
  test("noiseFloor() is two coefficients of variation of the anchor", () => {
    expect(noiseFloor([100])).toBe(0);
    expect(noiseFloor([100, 100, 100])).toBe(0);
    expect(noiseFloor([90, 100, 110])).toBeCloseTo(0.2, 6); // stdev 10, mean 100
  });

  test("driftedRuns() marks the cells between two anchors that jumped past the threshold", () => {
    const runs = [
      { cell: 0, anchor: true, tps: 100 }, { cell: 1, anchor: false, tps: 50 }, { cell: 2, anchor: false, tps: 60 },
      { cell: 0, anchor: true, tps: 104 }, { cell: 3, anchor: false, tps: 70 },
      { cell: 0, anchor: true, tps: 80 }, // a 23 % drop: cell 3 was measured during a drift
    ];
    expect(driftedRuns(runs, 0.05)).toEqual([4]);
    expect(driftedRuns(runs, 0.3)).toEqual([]); // the floor itself is wider than the jump
  });
});

describe("summarizeCell()", () => {
  test("summarizeCell() takes the median tok/s and the p95 over every stream's TTFT", () => {
    const s = summarizeCell([rep(10, [100, 300]), rep(30, [200, 250]), rep(20, [150, 120])], 2000);
    expect(s).toMatchObject({ tps_median: 20, ttft_p95_ms: 300, replicates: 3, n_err: 0, feasible: true, reason: null });
  });

  test("summarizeCell() makes a cell with any failed replicate infeasible", () => {
    const s = summarizeCell([rep(10), rep(0, [], false)], 2000);
    expect(s.feasible).toBe(false);
    expect(s.reason).toBe("1 of 2 replicate(s) failed: HTTP 503");
  });

  test("summarizeCell() makes a cell over the TTFT gate infeasible, saying by how much", () => {
    expect(summarizeCell([rep(10, [2500, 100])], 2000).reason).toBe("TTFT p95 2500 ms is over the 2000 ms gate");
  });
});

describe("pickWinner() and contenders()", () => {
  const sum = (tps: number | null, ttft: number | null, feasible = true, spread: number | null = null) => ({ tps_median: tps, tps_spread: spread, ttft_p95_ms: ttft, replicates: 1, n_err: feasible ? 0 : 1, feasible, reason: feasible ? null : "x" });

  test("tieBand() is never narrower than the noise floor", () => {
    expect(tieBand(0.03, 0.01)).toBe(0.03);
    expect(tieBand(0.03, 0.08)).toBe(0.08);
  });

  test("pickWinner() takes the fastest feasible cell and breaks a throughput tie on TTFT", () => {
    expect(pickWinner([sum(100, 500), sum(150, 900, false), sum(120, 800), sum(121, 300)], 0.03)).toBe(3);
  });

  test("pickWinner() keeps the earlier cell on a tie whose TTFTs are equal", () => {
    expect(pickWinner([sum(100, 300), sum(102, 300)], 0.03)).toBe(0);
  });

  test("pickWinner() widens the tie to a cell's own spread: a noisy median does not win on throughput alone", () => {
    // 12 % faster by median, but its replicates swing ±20 %: a tie, and the lower TTFT p95 decides.
    expect(pickWinner([sum(80, 1500, true, 0.04), sum(90, 1600, true, 0.4)], 0.05)).toBe(0);
    expect(pickWinner([sum(80, 1500, true, 0.04), sum(90, 900, true, 0.4)], 0.05)).toBe(1);
    // A steady cell 12 % faster still wins on throughput.
    expect(pickWinner([sum(80, 1500, true, 0.04), sum(90, 1600, true, 0.05)], 0.05)).toBe(1);
  });

  test("pickWinner() is null when no cell is feasible", () => {
    expect(pickWinner([sum(100, 300, false), sum(null, null, false)], 0.03)).toBeNull();
  });

  test("contenders() keeps the cells within two bands of the best, and near-gate ones", () => {
    const s = [sum(100, 500), sum(95, 500), sum(80, 500), { ...sum(99, 2050, false), n_err: 0, reason: "gate" }, sum(200, 3000, false)];
    expect(contenders(s, 0.03, 2000)).toEqual([0, 1, 3]);
  });
});
