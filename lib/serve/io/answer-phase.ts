/**
 * One generation pass of an answer: generateTokens through its stop strings, then through the texts
 * that open a call (held back the same way, so a half-written call prefix never shows as text).
 * Says how the pass ended and what text it let through.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { generateTokens, type GenerateOptions, type GenerateStats } from "../../engine/io/generate-tokens.ts";
import { StopScanner } from "../stop-scanner.ts";

export type PhaseOptions = Omit<GenerateOptions, "signal"> & {
  signal: AbortSignal;
  /** Stop strings: the request's and the template's, or a grammar's stop text. */
  stops: readonly string[];
  /** Texts that open a call; generation stops before them. */
  callTriggers?: readonly string[];
  /** Drop whitespace held at the end (a grammar's stop text cut short by the budget). */
  trimEnd?: boolean;
};

/** stop: a stop string or an end-of-generation token; call: a call trigger; length: the budget; abort: the signal. */
export type PhaseEnd = { stats: GenerateStats; text: string; ended: "stop" | "call" | "length" | "abort" };

/** Yields each piece of text let through, as `as` makes it (nothing where it returns null). */
export async function* answerPhase<P>(sequence: LlamaContextSequence, prompt: readonly Token[], options: PhaseOptions, as: (text: string) => P | null): AsyncGenerator<P, PhaseEnd> {
  const stops = new StopScanner(options.stops);
  const triggers = options.callTriggers?.length ? new StopScanner(options.callTriggers) : null;
  const stopped = new AbortController(); // a stop string or trigger ends generation the way an abort does
  const gen = generateTokens(sequence, prompt, { ...options, signal: AbortSignal.any([options.signal, stopped.signal]) });
  let text = "";
  // Text past the stop strings goes through the call triggers; what both let through is the answer's.
  const pass = (piece: string) => (triggers === null ? piece : triggers.push(piece));
  const tail = () => {
    const held = pass(stops.flush()) + (triggers?.flush() ?? "");
    return options.trimEnd ? held.trimEnd() : held;
  };
  try {
    for (;;) {
      const step = await gen.next();
      const out = step.done ? tail() : pass(stops.push(step.value.text));
      text += out;
      const piece = out ? as(out) : null;
      if (piece !== null) yield piece;
      const called = triggers?.stopped ?? false;
      if (step.done) return { stats: step.value, text, ended: stops.stopped ? "stop" : called ? "call" : step.value.finishReason };
      if ((stops.stopped || called) && !stopped.signal.aborted) stopped.abort();
    }
  } finally {
    await gen.return(undefined as never);
  }
}
