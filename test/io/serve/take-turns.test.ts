import { describe, expect, test } from "bun:test";
import { takeTurns } from "../../../lib/serve/io/take-turns.ts";

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("takeTurns()", () => {
  test("takeTurns() runs pieces one at a time, in order, each in a later turn of the event loop", async () => {
    const turn = takeTurns();
    const order: string[] = [];
    const pieces = ["a", "b", "c"].map((name) => turn(() => {
      order.push(name);
      return name;
    }));
    order.push("sync");
    expect(await Promise.all(pieces)).toEqual(["a", "b", "c"]);
    expect(order).toEqual(["sync", "a", "b", "c"]);
  });

  test("takeTurns() leaves the event loop free for half as long as a piece took", async () => {
    const turn = takeTurns();
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 1);
    const started: number[] = [];
    await Promise.all([0, 1, 2].map(() => turn(() => {
      started.push(performance.now());
      busy(40);
    })));
    clearInterval(timer);
    // Other work ran between two pieces, and the next piece waited about 20 ms after the last ended.
    for (let i = 1; i < started.length; i++) {
      expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(40 + 15);
      expect(ticks.some((t) => t > started[i - 1]! + 40 && t < started[i]!)).toBe(true);
    }
  });

  test("takeTurns() runs pieces under a millisecond back to back, before any timer", async () => {
    const turn = takeTurns();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const done = await Promise.all([1, 2, 3].map((n) => turn(() => n).then((v) => (timerFired ? -v : v))));
    expect(done).toEqual([1, 2, 3]);
  });

  test("takeTurns() passes a piece's error to its caller and goes on with the next", async () => {
    const turn = takeTurns();
    const failing = turn(() => {
      throw new Error("boom");
    });
    const next = turn(() => "next");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });
});
