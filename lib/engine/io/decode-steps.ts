/**
 * Phase-locks the generations sharing one llama.cpp context, so each step is one llama_decode that
 * advances every active sequence, as llama-server's slots do.
 *
 * Why: node-llama-cpp batches whatever is queued when its dispatch loop comes round, and the loop
 * decodes again at once if anything queued meanwhile. Two sequences that start a few microseconds
 * apart therefore alternate for ever (measured: 126 of 127 decodes held one sequence at B=2), and
 * B streams cost B decodes per token. Here every decode request (`run`) made while a step is in
 * flight waits for that step to settle; then all waiting requests start in the same tick and land
 * in one batch. A generation that is not asking (its client is slow to read) is simply not in the
 * step: nobody waits for it.
 *
 * The requests of a step start in sequence-id order: llama.cpp splits a batch over several KV
 * streams into one ubatch per run of consecutive, increasing sequence ids (split_equal, sequential),
 * so four sequences queued in the order their tokens happened to arrive (2, 0, 3, 1) cost up to
 * four graph computes instead of one (measured: fx-500m, 4 streams, 159-216 ms a step instead of 108).
 * Starting them in order is not enough for a joining prompt, which reaches node-llama-cpp's queue a
 * few microtasks late; its batch priority keeps it in place (generate-tokens.ts, sequenceSteps).
 */
import type { LlamaContext } from "node-llama-cpp";

export class DecodeSteps {
  /** Generations currently open on the context (see `join`). */
  private active = 0;
  /** Started decode requests not yet settled. */
  private inFlight = 0;
  private waiting: { order: number; start: () => void }[] = [];
  private flushQueued = false;

  /** Counts a generation in; the returned function counts it out (call it exactly once). */
  join(): () => void {
    this.active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active--;
      this.maybeFlush();
    };
  }

  /**
   * Starts `decode` with the next step, together with every other request of that step, in `order`
   * (the sequence id).
   */
  run<T>(decode: () => Promise<T>, order = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ order, start: () => {
        this.inFlight++;
        let started: Promise<T>;
        try {
          started = decode();
        } catch (error) {
          started = Promise.reject(error);
        }
        started.then(resolve, reject).finally(() => {
          this.inFlight--;
          this.maybeFlush();
        });
      } });
      this.maybeFlush();
    });
  }

  /**
   * Starts the waiting requests once nothing is in flight: at once when every open generation is
   * waiting (nobody else can join this step), else on the next turn of the event loop, by which
   * time the sequences the last step just served have asked again.
   */
  private maybeFlush(): void {
    if (this.inFlight > 0 || this.waiting.length === 0) return;
    if (this.waiting.length >= this.active) {
      this.flush();
      return;
    }
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (this.inFlight === 0) this.flush();
    });
  }

  private flush(): void {
    const step = this.waiting.sort((a, b) => a.order - b.order);
    this.waiting = [];
    for (const { start } of step) start();
  }
}

/** No phase-locking: every request starts at once (node-llama-cpp's own batching, for A/B benchmarks). */
class UnlockedSteps extends DecodeSteps {
  override run<T>(decode: () => Promise<T>, _order?: number): Promise<T> {
    return decode();
  }
}

const byContext = new WeakMap<LlamaContext, DecodeSteps>();

/**
 * The one DecodeSteps of a context. `MACPROVIDER_UNLOCKED_DECODE=1` turns phase-locking off, so
 * `bench/engine.ts --aggregate` can measure what it buys side by side; not a serving knob.
 */
export function decodeStepsFor(context: LlamaContext): DecodeSteps {
  let steps = byContext.get(context);
  if (!steps) byContext.set(context, (steps = process.env.MACPROVIDER_UNLOCKED_DECODE === "1" ? new UnlockedSteps() : new DecodeSteps()));
  return steps;
}
