/**
 * autotune passes each stage the flags that stage takes (PIPE-2): the composed run is the piped run,
 * stage for stage. Pure: args in, argv out.
 */
export const STAGE_FLAGS = {
  prewarm: ["catalog", "candidate-models", "models-dir", "memory-budget", "target-context", "stage1-replicates", "stage2-replicates", "gate-ttft-ms", "tps-tie-epsilon", "run-id", "db", "stall-timeout-ms"],
  stage1: ["threads", "load-timeout-ms", "db"],
  stage2: ["kv-bits-axis", "max-batch-axis", "max-context-axis", "threads-axis", "flash-attention-axis", "engine-axis", "gpu-layers-axis", "max-tokens", "anchor-every", "load-timeout-ms", "keep-runs", "db"],
  apply: ["config"],
} as const;

export type StageName = keyof typeof STAGE_FLAGS;

/** `--flag value` for each string flag the stage takes; booleans: `exhaustive` (stage2) and `verbose` (all). */
export function stageArgv(stage: StageName, args: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const flag of STAGE_FLAGS[stage]) {
    const value = args[flag];
    if (typeof value === "string") out.push(`--${flag}`, value);
  }
  if (stage === "stage2" && args.exhaustive === true) out.push("--exhaustive");
  if (args.verbose === true) out.push("--verbose");
  return out;
}
