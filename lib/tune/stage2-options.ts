/**
 * Stage 2's settings from its flags: the axes (strict, S2-1), the inputs carried on with the flags
 * applied, and the measurement numbers. Throws an Error naming the flag and the value (exit 64).
 */
import { parseIntegerOption } from "../cli/parse-integer-option.ts";
import { DEFAULT_KEEP_RUNS } from "../store/pick-runs-to-prune.ts";
import { parseStage2Axes, type AxisDefaults, type AxisFlag, type Stage2Axes } from "./parse-stage2-axes.ts";
import { parseTuneNumbers } from "./tune-input-args.ts";
import type { TuneInputs } from "./tune-documents.ts";

export type Stage2Flags = Partial<Record<AxisFlag | "stage2-replicates" | "tps-tie-epsilon" | "max-tokens" | "anchor-every" | "load-timeout-ms" | "keep-runs", string>>;

export type Stage2Settings = {
  axes: Stage2Axes;
  inputs: TuneInputs;
  /** Tokens each stream generates. Defaults to 64. */
  maxTokens: number;
  /** Cells between two anchor measurements. Defaults to 4. */
  anchorEvery: number;
  /** Defaults to 300000. */
  loadTimeoutMs: number;
  /** Defaults to DEFAULT_KEEP_RUNS (50). */
  keepRuns: number;
};

export function resolveStage2Options(docInputs: TuneInputs, flags: Stage2Flags, defaults: Omit<AxisDefaults, "targetContext">): Stage2Settings {
  const axes = parseStage2Axes(flags, { ...defaults, targetContext: docInputs.target_context });
  const given = parseTuneNumbers({ "stage2-replicates": flags["stage2-replicates"], "tps-tie-epsilon": flags["tps-tie-epsilon"] });
  const int = (flag: keyof Stage2Flags, fallback: number, min: number) => {
    const raw = flags[flag];
    return raw === undefined ? fallback : parseIntegerOption(`--${flag}`, raw, min);
  };
  return {
    axes,
    inputs: {
      ...docInputs,
      axes,
      stage2_replicates: flags["stage2-replicates"] === undefined ? docInputs.stage2_replicates : given.stage2_replicates,
      tps_tie_epsilon: flags["tps-tie-epsilon"] === undefined ? docInputs.tps_tie_epsilon : given.tps_tie_epsilon,
    },
    maxTokens: int("max-tokens", 64, 2),
    anchorEvery: int("anchor-every", 4, 1),
    loadTimeoutMs: int("load-timeout-ms", 300_000, 1000),
    keepRuns: int("keep-runs", DEFAULT_KEEP_RUNS, 1),
  };
}
