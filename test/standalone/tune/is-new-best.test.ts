import { describe, expect, test } from "bun:test";
import { isNewBest, type Contender } from "../../../lib/tune/is-new-best.ts";

const c = (tps: number, ttftP95Ms: number | null = 100): Contender => ({ tps, ttftP95Ms });

describe("isNewBest()", () => {
  test("isNewBest() takes any candidate when there is no best yet", () => {
    expect(isNewBest(c(0, null), null, 0.03)).toBe(true);
  });

  test("isNewBest() takes a positive candidate over a best of 0 tok/s, whatever the latencies", () => {
    expect(isNewBest(c(0.1, 5000), c(0, 10), 0.03)).toBe(true);
  });

  test("isNewBest() keeps the incumbent when both are 0 tok/s", () => {
    expect(isNewBest(c(0, 10), c(0, 500), 0.03)).toBe(false);
  });

  test("isNewBest() takes a candidate just outside the band above, even with a worse TTFT", () => {
    expect(isNewBest(c(103.01, 900), c(100, 100), 0.03)).toBe(true);
  });

  test("isNewBest() refuses a candidate just outside the band below, even with a better TTFT", () => {
    expect(isNewBest(c(96.99, 10), c(100, 100), 0.03)).toBe(false);
  });

  test.each([
    ["at the top edge of the band", 103],
    ["inside the band above", 101],
    ["equal", 100],
    ["inside the band below", 98],
    ["at the bottom edge of the band", 97],
  ])("isNewBest() lets the lower TTFT p95 win a throughput tie %s", (_, tps) => {
    expect(isNewBest(c(tps, 90), c(100, 100), 0.03)).toBe(true);
    expect(isNewBest(c(tps, 110), c(100, 100), 0.03)).toBe(false);
  });

  test("isNewBest() keeps the earlier cell on a full tie (same tok/s and TTFT)", () => {
    expect(isNewBest(c(100, 100), c(100, 100), 0.03)).toBe(false);
  });

  test("isNewBest() never lets an unknown TTFT win a tie", () => {
    expect(isNewBest(c(101, null), c(100, 100), 0.03)).toBe(false);
  });

  test("isNewBest() lets a known TTFT win a tie against an unknown one", () => {
    expect(isNewBest(c(99, 5000), c(100, null), 0.03)).toBe(true);
  });

  test("isNewBest() keeps the incumbent when both TTFTs are unknown", () => {
    expect(isNewBest(c(101, null), c(100, null), 0.03)).toBe(false);
  });

  test("isNewBest() still takes a clearly faster candidate with an unknown TTFT", () => {
    expect(isNewBest(c(150, null), c(100, 100), 0.03)).toBe(true);
  });

  test("isNewBest() with a zero band compares throughput exactly", () => {
    expect(isNewBest(c(100.001, 500), c(100, 100), 0)).toBe(true);
    expect(isNewBest(c(100, 90), c(100, 100), 0)).toBe(true);
  });
});
