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

  test("SlotPool hands out the first free slot in the given order, whatever order they came back in", async () => {
    const pool = new SlotPool(["s0", "s1", "s2", "s3"], 0);
    const taken = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(taken).toEqual(["s0", "s1", "s2", "s3"]);
    for (const slot of ["s2", "s0", "s3", "s1"]) pool.release(slot);
    expect([await pool.acquire(), await pool.acquire()]).toEqual(["s0", "s1"]);
    pool.release("s0");
    expect(await pool.acquire()).toBe("s0"); // a lone client keeps its sequence (and its prompt prefix)
  });
});
