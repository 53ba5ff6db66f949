/**
 * ERR-2 for every long command: SIGINT/SIGTERM aborts the returned signal once (the work in flight
 * stops and records itself as interrupted); a second signal exits 130 at once.
 */
import { logger } from "./logger.ts";

/** The abort reason: which signal came, so a parent can pass the same one on to its children. */
export class InterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = "InterruptedError";
  }
}

/** `what` completes the warning "SIGTERM: stopping …". Call `dispose()` when the work is over. */
export function interruptOnSignals(what: string): { signal: AbortSignal; dispose(): void } {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(130);
    logger.warn(`${signal}: stopping ${what}`);
    interrupt.abort(new InterruptedError(signal));
  };
  process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
  return { signal: interrupt.signal, dispose: () => void process.off("SIGINT", onSignal).off("SIGTERM", onSignal) };
}
