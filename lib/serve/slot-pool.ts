/**
 * SRV-5: at most `slots.length` generations at once, the rest in a bounded FIFO queue; past the
 * bound, `QueueFullError`. A waiter whose signal aborts leaves the queue at once.
 * A free slot is always the first one in the given order: busy sequences stay a run of consecutive
 * ids from 0 (llama.cpp computes such a batch in one ubatch, see StepLoop), and a lone client
 * keeps getting the sequence that holds its prompt prefix.
 */
export class QueueFullError extends Error {
  constructor(readonly maxQueue: number) {
    super(`all sequences are busy and ${maxQueue} request(s) are already queued`);
    this.name = "QueueFullError";
  }
}

/** The pool is shutting down: nothing more is handed out. */
export class PoolClosedError extends Error {
  constructor() {
    super("the server is shutting down");
    this.name = "PoolClosedError";
  }
}

type Waiter<T> = { resolve: (slot: T) => void; reject: (error: unknown) => void };

export class SlotPool<T> {
  private readonly free: T[];
  private readonly rank: Map<T, number>;
  private readonly queue: Waiter<T>[] = [];
  private busy = 0;
  private closed = false;

  constructor(slots: readonly T[], private readonly maxQueue: number) {
    this.free = [...slots];
    this.rank = new Map(slots.map((slot, i) => [slot, i]));
  }

  get inFlight(): number { return this.busy; }
  get queued(): number { return this.queue.length; }

  /** Resolves with a slot when one is free; rejects with QueueFullError or the signal's reason. */
  acquire(signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    const slot = this.free.shift();
    if (slot !== undefined) {
      this.busy++;
      return Promise.resolve(slot);
    }
    if (this.queue.length >= this.maxQueue) return Promise.reject(new QueueFullError(this.maxQueue));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve: (s) => { signal?.removeEventListener("abort", onAbort); resolve(s); },
        reject,
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i !== -1) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Refuses every waiter and every later acquire with PoolClosedError; slots in use stay theirs. */
  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new PoolClosedError());
  }

  /** Returns a slot: handed straight to the oldest waiter, or put back. */
  release(slot: T): void {
    const next = this.queue.shift();
    if (next) {
      next.resolve(slot);
      return;
    }
    this.busy--;
    const rank = this.rank.get(slot) ?? Infinity;
    const at = this.free.findIndex((s) => (this.rank.get(s) ?? Infinity) > rank);
    this.free.splice(at === -1 ? this.free.length : at, 0, slot);
  }
}
