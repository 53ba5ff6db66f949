import { describe, expect, test } from "bun:test";
import { QueueFullError, SlotPool } from "../../../lib/serve/slot-pool.ts";

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
