/**
 * Stage 1's settings: each flag overrides the document's input of the same name, which overrides
 * the default; the document's inputs are carried forward with the flags applied.
 */
import { parseIntegerOption } from "../cli/parse-integer-option.ts";
import type { TuneInputs } from "./tune-documents.ts";

/** Raw flag values as typed; undefined = not given. */
export type Stage1Flags = { targetContext?: string; stage1Replicates?: string; gateTtftMs?: string; threads?: string; loadTimeoutMs?: string };

export type Stage1Options = {
  /** Served context per sequence (S1-2). Defaults to the document's, else 8192. */
  targetContext: number;
  /** Timed streaming requests per candidate. Defaults to the document's, else 2. */
  replicates: number;
  /** TTFT p95 gate, ms; a request with no first token by 3× the gate is aborted. Defaults to the document's, else 2000. */
  gateTtftMs: number;
  /** Threads passed to serve. Defaults to the machine's physical cores. */
  threads: number;
  /** How long serve may take to become ready, ms. Defaults to 300000. */
  loadTimeoutMs: number;
  /** Tokens each probe request generates (with ignore_eos). 16. */
  maxTokens: number;
};

export const STAGE1_DEFAULTS = { targetContext: 8192, replicates: 2, gateTtftMs: 2000, loadTimeoutMs: 300_000, maxTokens: 16 } as const;

/** Throws an Error naming the flag and the value for a bad one (a usage error). */
export function resolveStage1Options(inputs: Partial<TuneInputs>, flags: Stage1Flags, defaultThreads: number): Stage1Options {
  const pick = (flag: string, raw: string | undefined, fromDoc: number | undefined, fallback: number, min: number, max?: number) =>
    raw !== undefined ? parseIntegerOption(flag, raw, min, max) : fromDoc ?? fallback;
  return {
    // The same ranges as the tuning inputs' own parser (parseTuneNumbers).
    targetContext: pick("--target-context", flags.targetContext, inputs.target_context, STAGE1_DEFAULTS.targetContext, 1, 10_000_000),
    replicates: pick("--stage1-replicates", flags.stage1Replicates, inputs.stage1_replicates, STAGE1_DEFAULTS.replicates, 1, 100),
    gateTtftMs: pick("--gate-ttft-ms", flags.gateTtftMs, inputs.gate_ttft_ms, STAGE1_DEFAULTS.gateTtftMs, 1, 3_600_000),
    threads: pick("--threads", flags.threads, undefined, Math.max(1, defaultThreads), 1, 1024),
    loadTimeoutMs: pick("--load-timeout-ms", flags.loadTimeoutMs, undefined, STAGE1_DEFAULTS.loadTimeoutMs, 1000),
    maxTokens: STAGE1_DEFAULTS.maxTokens,
  };
}

/** The document's inputs with Stage 1's settings written in, as the next stage reads them. */
export function stage1Inputs(inputs: TuneInputs, options: Stage1Options): TuneInputs {
  return { ...inputs, target_context: options.targetContext, stage1_replicates: options.replicates, gate_ttft_ms: options.gateTtftMs };
}
