/**
 * The tuning inputs every stage carries (REC-2 `inputs`): one citty argument set, spread into each
 * command that starts a run, and the pure parser that turns its strings into numbers.
 */
import type { ArgsDef } from "citty";
import { parseIntegerOption } from "../cli/parse-integer-option.ts";
import type { TuneInputs } from "./tune-documents.ts";

export type TuneNumbers = Pick<TuneInputs, "target_context" | "stage1_replicates" | "stage2_replicates" | "gate_ttft_ms" | "tps_tie_epsilon">;

export const TUNE_INPUT_DEFAULTS: TuneNumbers = {
  target_context: 8192,
  stage1_replicates: 2,
  stage2_replicates: 3,
  gate_ttft_ms: 2000,
  tps_tie_epsilon: 0.03,
};

export const TUNE_INPUT_ARGS = {
  "target-context": { type: "string", valueHint: "TOKENS", description: `Context window each candidate must serve (max_context of the probes, and of the memory estimate). Defaults to ${TUNE_INPUT_DEFAULTS.target_context}.` },
  "stage1-replicates": { type: "string", valueHint: "N", description: `Streaming requests per Stage 1 probe. Defaults to ${TUNE_INPUT_DEFAULTS.stage1_replicates}.` },
  "stage2-replicates": { type: "string", valueHint: "N", description: `Measurements per Stage 2 cell. Defaults to ${TUNE_INPUT_DEFAULTS.stage2_replicates}.` },
  "gate-ttft-ms": { type: "string", valueHint: "MS", description: `Latency gate: TTFT p95 a candidate or cell must stay within. Defaults to ${TUNE_INPUT_DEFAULTS.gate_ttft_ms}.` },
  "tps-tie-epsilon": { type: "string", valueHint: "FRACTION", description: `Relative throughput band inside which the lower TTFT p95 wins. Defaults to ${TUNE_INPUT_DEFAULTS.tps_tie_epsilon}.` },
} as const satisfies ArgsDef;

export type TuneInputArgValues = Partial<Record<keyof typeof TUNE_INPUT_ARGS, string>>;

/** The numbers from their flags (unset → default). Throws an Error naming the flag and the value. */
export function parseTuneNumbers(args: TuneInputArgValues): TuneNumbers {
  const int = (flag: keyof typeof TUNE_INPUT_ARGS, fallback: number, min: number, max: number) => {
    const raw = args[flag];
    return raw === undefined ? fallback : parseIntegerOption(`--${flag}`, raw, min, max);
  };
  return {
    target_context: int("target-context", TUNE_INPUT_DEFAULTS.target_context, 1, 10_000_000),
    stage1_replicates: int("stage1-replicates", TUNE_INPUT_DEFAULTS.stage1_replicates, 1, 100),
    stage2_replicates: int("stage2-replicates", TUNE_INPUT_DEFAULTS.stage2_replicates, 1, 100),
    gate_ttft_ms: int("gate-ttft-ms", TUNE_INPUT_DEFAULTS.gate_ttft_ms, 1, 3_600_000),
    tps_tie_epsilon: args["tps-tie-epsilon"] === undefined ? TUNE_INPUT_DEFAULTS.tps_tie_epsilon : parseEpsilon(args["tps-tie-epsilon"]),
  };
}

function parseEpsilon(raw: string): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 0 && n < 1)) throw new Error(`--tps-tie-epsilon must be a fraction from 0 up to (not including) 1, such as 0.03, got ${JSON.stringify(raw)}`);
  return n;
}
