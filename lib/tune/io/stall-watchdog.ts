/**
 * Aborts a transfer that makes no new progress for `stallMs`. Only a new high-water mark counts, so
 * a downloader that keeps restarting the same cut-short body does not keep the transfer alive.
 */
export type StallWatchdog = {
  signal: AbortSignal;
  /** Bytes received so far, of `total` (0 when unknown). */
  progress(received: number, total: number): void;
  /** True once the timer fired (rather than the outer signal). */
  readonly stalled: boolean;
  /** The most bytes seen and the announced total when it fired (or now). */
  readonly highWater: number;
  readonly total: number;
  stop(): void;
};

export function stallWatchdog(stallMs: number, outer?: AbortSignal): StallWatchdog {
  const controller = new AbortController();
  let highWater = 0;
  let total = 0;
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new Error(`no progress for ${stallMs} ms`));
    }, stallMs);
  };
  const onOuterAbort = () => controller.abort(outer!.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    progress(received, announced) {
      if (announced > 0) total = announced;
      if (received > highWater) {
        highWater = received;
        arm();
      }
    },
    get stalled() {
      return stalled;
    },
    get highWater() {
      return highWater;
    },
    get total() {
      return total;
    },
    stop() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    },
  };
}
