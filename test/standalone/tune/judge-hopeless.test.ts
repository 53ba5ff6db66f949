import { describe, expect, test } from "bun:test";
import { judgeCandidate, type RequestOutcome } from "../../../lib/tune/judge-candidate.ts";
import { judgeHopeless, p95LowerBound } from "../../../lib/tune/judge-hopeless.ts";

const ok = (ttftMs: number): RequestOutcome => ({ ok: true, ttftMs, completionTokens: 16, decodeTokensPerSecond: 50, error: null, text: "" });

describe("p95LowerBound()", () => {
  const table: [number[], number, number | null][] = [
    [[], 2, null],
    [[2500], 2, 2500], // p95 of 2 is the max: one slow replicate decides it
    [[100, 2500], 2, 2500],
    [[2500], 20, null], // p95 of 20 leaves the slowest out: one slow replicate decides nothing
    [[2500, 2400], 20, 2400],
    [[2500, 2400, 100], 40, 100],
  ];
  for (const [ttfts, n, bound] of table) {
    test(`p95LowerBound() of ${JSON.stringify(ttfts)} out of ${n} is ${bound}`, () => expect(p95LowerBound(ttfts, n)).toBe(bound));
  }
});

describe("judgeHopeless()", () => {
  test("judgeHopeless() stops after a failed replicate", () => {
    expect(judgeHopeless([{ ok: false, ttftMs: null }], 2, 2000)).toBe(true);
  });

  test("judgeHopeless() stops once the p95 cannot come back within the gate", () => {
    expect(judgeHopeless([ok(1999)], 2, 2000)).toBe(false);
    expect(judgeHopeless([ok(2001)], 2, 2000)).toBe(true);
    expect(judgeHopeless([ok(5000)], 20, 2000)).toBe(false);
    expect(judgeHopeless([ok(5000), ok(100), ok(3000)], 20, 2000)).toBe(true);
  });

  test("judgeCandidate() names the bound when the probe stopped early over the gate", () => {
    const m = { ready: true, readyError: null, loadMs: 1, warmup: ok(9000), replicates: [ok(4321.2)] };
    expect(judgeCandidate(m, { gateTtftMs: 2000, replicates: 2 }).reason).toBe("TTFT p95 ≥ 4322 ms > gate 2000 ms (stopped after 1 of 2 replicates)");
  });
});
