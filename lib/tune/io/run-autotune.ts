/**
 * The composed autotune run (PIPE-2, CON, ERR-1/2): drain a provider already serving, run prewarm →
 * stage1 → stage2 (→ apply) as child processes fed each other's documents, restore the provider
 * exactly once however the run ends, and store autotune's own endings on the run row.
 */
import type { CommandRunner } from "../../host/io/command-runner.ts";
import { ProviderConflictError } from "../../provider/provider-conflict-error.ts";
import { describeProvider } from "../../provider/running-provider.ts";
import { detectProviders, type DetectOptions } from "../../provider/io/detect-providers.ts";
import { drainProviders, type Restore } from "../../provider/io/drain-providers.ts";
import { stageArgv } from "../stage-argv.ts";
import { EXIT_REASONS, TUNE_SPEC_VERSION, type ExitReason, type MachineFacts, type TuneInputs } from "../tune-documents.ts";
import { recordRunEnd } from "./record-run-end.ts";
import { runStageProcess } from "./run-stage-process.ts";

export type AutotuneRunOptions = {
  /** The flags as given (strings and booleans), passed on to each stage. `run-id` and `db` are set. */
  args: Record<string, unknown> & { "run-id": string; db: string };
  detect: Omit<DetectOptions, "runner">;
  runner: CommandRunner;
  drain: boolean;
  force: boolean;
  restartForeground: boolean;
  apply: boolean;
  /** For a run row autotune must write itself (a conflict before any stage). */
  machine: MachineFacts;
  inputs: TuneInputs;
  signal: AbortSignal;
  log(line: string): void;
};

export type AutotuneOutcome = { code: number; doc: Record<string, unknown>; apply: Record<string, unknown> | null };

export async function runAutotune(o: AutotuneRunOptions): Promise<AutotuneOutcome> {
  const runId = o.args["run-id"];
  const end = (reason: ExitReason, message: string): AutotuneOutcome => {
    recordRunEnd(o.args.db, reason, { run_id: runId, spec_version: TUNE_SPEC_VERSION, started_at: new Date().toISOString(), machine: o.machine, inputs: o.inputs });
    return { code: EXIT_REASONS[reason], doc: { run_id: runId, exit_reason: reason, message }, apply: null };
  };
  let restore: Restore | null = null;
  try {
    const found = await detectProviders({ ...o.detect, runner: o.runner });
    if (found.length > 0 && !o.drain) throw new ProviderConflictError(`${found.map(describeProvider).join("; ")} is serving; --no-drain refuses to tune while it runs`);
    if (found.length > 0) restore = await drainProviders(found, { runner: o.runner, uid: o.detect.uid, force: o.force, restartForeground: o.restartForeground, stopWaitMs: 60_000, log: o.log });
  } catch (error) {
    if (error instanceof ProviderConflictError) return end("provider_conflict", error.message);
    throw error;
  }
  try {
    return await stages(o, end);
  } finally {
    await restore?.();
  }
}

async function stages(o: AutotuneRunOptions, end: (r: ExitReason, m: string) => AutotuneOutcome): Promise<AutotuneOutcome> {
  let doc: Record<string, unknown> | null = null;
  for (const stage of ["prewarm", "stage1", "stage2"] as const) {
    const argv = stageArgv(stage, o.args);
    const result = await runStageProcess(stage, stage === "stage2" ? [...argv, "--no-recommendation-block"] : argv, doc, o.signal);
    if (result.doc === null) {
      const reason = o.signal.aborted ? "interrupted" : result.code === EXIT_REASONS.config_error ? "config_error" : "internal_error";
      return end(reason, `${stage} ended with exit ${result.code} and no document`);
    }
    doc = result.doc;
    const finished = stage === "stage2" || doc.exit_reason !== null;
    if (finished) return maybeApply(o, doc, result.code, end);
  }
  throw new Error("unreachable: stage2 always finishes the run");
}

async function maybeApply(o: AutotuneRunOptions, doc: Record<string, unknown>, code: number, end: (r: ExitReason, m: string) => AutotuneOutcome): Promise<AutotuneOutcome> {
  if (!o.apply || doc.exit_reason !== "completed") return { code, doc, apply: null };
  const result = await runStageProcess("apply", stageArgv("apply", o.args), doc, o.signal);
  if (result.code !== 0 || result.doc === null) {
    const outcome = end("apply_failed", `apply ended with exit ${result.code}; the config is unchanged`);
    return { ...outcome, doc: { ...doc, exit_reason: "apply_failed" } };
  }
  return { code, doc, apply: result.doc };
}
