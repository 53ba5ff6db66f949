import { describe, expect, test } from "bun:test";
import { ContextFitError, fitMaxContext } from "../../../lib/serve/fit-max-context.ts";
import { ramTierContext } from "../../../lib/config/ram-tier-context.ts";
import { QueueFullError, SlotPool } from "../../../lib/serve/slot-pool.ts";
import { StopScanner } from "../../../lib/serve/stop-scanner.ts";

const GiB = 1024 ** 3;

describe("ramTierContext()", () => {
  test.each([
    [8 * GiB, 20_000],
    [15.5 * GiB, 50_000],
    [16 * GiB, 50_000],
    [24 * GiB, 50_000],
    [31.3 * GiB, 120_000],
    [62 * GiB, 200_000],
    [128 * GiB, 200_000],
  ])("ramTierContext(%p) is %p", (ram, context) => {
    expect(ramTierContext(ram)).toBe(context);
  });
});

describe("fitMaxContext()", () => {
  const linear = async (c: number) => 1000 + c * 10; // bytes

  test.each([
    ["the tier default when it fits", { requested: null, tierDefault: 20000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 20000, null],
    ["the trained context when smaller", { requested: null, tierDefault: 50000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 32768, "trained_context"],
    ["the largest multiple of 256 that fits memory", { requested: null, tierDefault: 50000, trainContext: null, memoryBudgetBytes: 1000 + 10 * 3000 }, 2816, "memory"],
    ["an explicit value as given", { requested: 777, tierDefault: 50000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 777, null],
  ] as const)("fitMaxContext() picks %s", async (_, inputs, context, cappedBy) => {
    expect(await fitMaxContext({ ...inputs, estimateBytes: linear })).toEqual({ context, cappedBy });
  });

  test.each([
    [{ requested: 40000, trainContext: 32768, memoryBudgetBytes: 1e9 }, /max context 40000 exceeds the model's trained context 32768/],
    [{ requested: 8192, trainContext: 32768, memoryBudgetBytes: 5000 }, /max context 8192 needs about .* GiB, over the memory budget/],
    [{ requested: null, trainContext: 32768, memoryBudgetBytes: 100 }, /even a 256-token context needs/],
  ])("fitMaxContext() refuses what cannot be served: %o", async (inputs, message) => {
    await expect(fitMaxContext({ ...inputs, tierDefault: 20000, estimateBytes: linear })).rejects.toThrow(ContextFitError);
    await expect(fitMaxContext({ ...inputs, tierDefault: 20000, estimateBytes: linear })).rejects.toThrow(message);
  });
});

describe("StopScanner", () => {
  const run = (stops: string[], pieces: string[]) => {
    const s = new StopScanner(stops);
    const out = pieces.map((p) => s.push(p));
    out.push(s.flush());
    return { text: out.join(""), stopped: s.stopped, out };
  };

  test.each([
    [["END"], ["hello ", "wor", "ld"], "hello world", false],
    [["END"], ["hello E", "N", "D and more"], "hello ", true],
    [["<|im_end|>"], ["a<|im", "_end|>b"], "a", true],
    [["xy", "abc"], ["0ab", "c1xy"], "0", true],
    [["END"], ["E", "N", "X"], "ENX", false],
    [["END"], ["tail E"], "tail E", false],
  ])("StopScanner(%p) over %p gives %p", (stops, pieces, text, stopped) => {
    const r = run(stops, pieces);
    expect(r.text).toBe(text);
    expect(r.stopped).toBe(stopped);
  });

  test("StopScanner holds back only what could start a stop string", () => {
    const s = new StopScanner(["<|im_end|>"]);
    expect(s.push("hello <|im")).toBe("hello ");
    expect(s.push("age")).toBe("<|image");
  });
});

describe("SlotPool", () => {
  test("SlotPool hands out free slots, then queues FIFO, then refuses past maxQueue", async () => {
    const pool = new SlotPool(["a"], 2);
    expect(await pool.acquire()).toBe("a");
    const order: string[] = [];
    const w1 = pool.acquire().then((s) => { order.push(`1:${s}`); return s; });
    const w2 = pool.acquire().then((s) => { order.push(`2:${s}`); return s; });
    expect(pool.queued).toBe(2);
    await expect(pool.acquire()).rejects.toBeInstanceOf(QueueFullError);
    pool.release("a");
    pool.release(await w1);
    await w2;
    expect(order).toEqual(["1:a", "2:a"]);
    expect(pool.inFlight).toBe(1);
  });

  test("SlotPool drops an aborted waiter from the queue at once", async () => {
    const pool = new SlotPool(["a"], 1);
    await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(pool.queued).toBe(0);
    pool.release("a");
    expect(pool.inFlight).toBe(0);
    expect(await pool.acquire()).toBe("a");
  });
});
