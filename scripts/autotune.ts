/**
 * `bun scripts/autotune.ts` (`macprovider autotune`): prewarm → stage1 → stage2 (→ apply), each
 * stage a child process fed the previous stage's document (PIPE-1/2), so the composed run is the piped
 * run. Prints the recommendation block (REC-1), or with `--json` the final document (REC-2).
 * `--dry-run` prints the plan and touches nothing (ERR-3).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { defineCommand, type ArgsDef } from "citty";
import { asUsage, CliError } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { openEngine } from "../lib/engine/io/open-engine.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { configPath, defaultDbPath, fixturesDir, modelsDir } from "../lib/host/io/paths.ts";
import { detectAutoBackend } from "../lib/engine/io/detect-gpu.ts";
import { autotunePlan, renderPlan } from "../lib/tune/autotune-plan.ts";
import { DEFAULT_CATALOG } from "../lib/tune/builtin-catalogs.ts";
import { candidateFacts } from "../lib/tune/io/dry-run-plan.ts";
import { runAutotune, type AutotuneRunOptions } from "../lib/tune/io/run-autotune.ts";
import { createCommandRunner } from "../lib/host/io/command-runner.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { loadYamlConfig } from "../lib/config/io/load-yaml-config.ts";
import { ConfigError, resolveServeConfig } from "../lib/config/resolve-serve-config.ts";
import { machineFacts } from "../lib/tune/machine-facts.ts";
import { newRunId } from "../lib/tune/new-run-id.ts";
import pkg from "../package.json" with { type: "json" };
import { parseStage2Axes, type AxisFlag } from "../lib/tune/parse-stage2-axes.ts";
import { renderRecommendation } from "../lib/tune/render-recommendation.ts";
import type { Stage2Document } from "../lib/tune/stage2-document.ts";
import { parseTuneNumbers } from "../lib/tune/tune-input-args.ts";
import { EXIT_REASONS } from "../lib/tune/tune-documents.ts";
import { prewarmCommand } from "./prewarm.ts";
import { stage1Command } from "./stage1.ts";
import { stage2Command } from "./stage2.ts";
import { enginesPresent } from "../lib/engine/io/local-builds.ts";
import { resolveCandidateWalk } from "../lib/tune/io/resolve-candidate-walk.ts";
import { interruptOnSignals } from "../lib/cli/io/interrupt-on-signals.ts";

const { in: _in1, ...stage1Args } = stage1Command.args as ArgsDef;
const { in: _in2, "recommendation-block": _block, ...stage2Args } = stage2Command.args as ArgsDef;

export const autotuneCommand = defineCommand({
  meta: { name: "autotune", description: "Find this machine's recipe: the biggest feasible model (Stage 1), then its knobs (Stage 2); prints the recommendation." },
  args: {
    ...(prewarmCommand.args as ArgsDef),
    ...stage1Args,
    ...stage2Args,
    threads: { type: "string", valueHint: "N", description: "CPU threads Stage 1's probes run with. Defaults to the machine's physical cores (Stage 2 tunes threads with --threads-axis)." },
    apply: { type: "boolean", description: "Write the recommendation into serve's config file (see `macprovider apply`)." },
    config: { type: "string", valueHint: "FILE", description: "serve's config file: where --apply writes, and whose host/port a running provider is looked for on. Defaults to $MACPROVIDER_CONFIG, else $XDG_CONFIG_HOME/macprovider/config.yaml." },
    drain: { type: "boolean", default: true, description: "Stop a provider already serving here (launchd, systemd, a foreground serve) for the run and restore it after. Defaults to on.", negativeDescription: "Refuse to run while a provider serves (exit 6, provider_conflict)." },
    force: { type: "boolean", description: "SIGKILL a foreground provider that does not stop within 60 s of SIGTERM." },
    "restart-foreground": { type: "boolean", description: "Start a drained foreground provider again when the run ends (services are always restored)." },
    "dry-run": { type: "boolean", description: "Print the plan (candidates in walk order with memory estimates, axes, first cells) and touch nothing." },
    json: { type: "boolean", description: "Print the final document (REC-2) on stdout instead of the recommendation block." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    if (args["dry-run"]) return dryRun(args);
    const interrupt = interruptOnSignals("the stage in flight");
    try {
      const outcome = await runAutotune(await autotuneOptions(args, interrupt.signal));
      finish(outcome.doc, outcome.code, Boolean(args.json), outcome.apply);
    } finally {
      interrupt.dispose();
    }
  },
});

async function autotuneOptions(args: Record<string, unknown>, signal: AbortSignal): Promise<AutotuneRunOptions> {
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const cwd = process.cwd();
  const numbers = asUsage(() => parseTuneNumbers(args));
  const config = serveTarget(str("config"));
  const runId = str("run-id") ?? newRunId(new Date(), randomUUID());
  const root = process.env.MACPROVIDER_PROCESS_ROOT;
  return {
    args: { ...args, "run-id": runId, db: resolve(cwd, str("db") ?? defaultDbPath()) },
    detect: {
      platform: process.platform, uid: process.getuid?.() ?? 0, home: process.env.HOME || homedir(), self: process.pid,
      root: root ? asUsage(() => parseIntegerOption("MACPROVIDER_PROCESS_ROOT", root, 1)) : null,
      host: config.values.host, port: config.values.port,
    },
    runner: createCommandRunner(),
    drain: args.drain !== false,
    force: args.force === true,
    restartForeground: args["restart-foreground"] === true,
    apply: args.apply === true,
    machine: machineFacts(detectMachine(), pkg.version),
    inputs: { ...numbers, candidate_models: [], axes: {}, memory_budget_bytes: 0, catalog: str("catalog") ?? DEFAULT_CATALOG, models_dir: "" },
    signal,
    log: (line) => logger.info(line),
  };
}

function finish(doc: Record<string, unknown>, code: number, json: boolean, apply: Record<string, unknown> | null): void {
  if (json) process.stdout.write(JSON.stringify(apply ? { ...doc, apply } : doc, null, 2) + "\n");
  else if (doc.stage === "stage2") process.stdout.write(renderRecommendation(doc as unknown as Stage2Document) + "\n");
  else process.stdout.write(`No recommendation: ${doc.stage ? `the run ended in ${doc.stage}` : "autotune ended"} with ${doc.exit_reason}${doc.message ? `: ${doc.message}` : ""}.\n`);
  if (!json && apply) process.stdout.write(`\nApplied to ${apply.config}${apply.backup ? ` (backup ${apply.backup})` : ""}. ${apply.restart_hint ?? ""}\n`);
  process.exitCode = code;
}

/**
 * Where a running provider would listen: serve's own config (a missing file is no config, so that
 * --apply can create it). A malformed one is a config_error (64) before anything runs.
 */
function serveTarget(configFile: string | undefined) {
  const file = configFile ?? process.env.MACPROVIDER_CONFIG ?? configPath();
  try {
    const yaml = existsSync(file) ? loadYamlConfig(file, true) : null;
    return resolveServeConfig({ cli: {}, env: process.env, yaml, yamlPath: file });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`autotune: ${error.message}`, EXIT_REASONS.config_error);
    throw error;
  }
}

async function dryRun(args: Record<string, unknown>): Promise<void> {
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const cwd = process.cwd();
  const machine = detectMachine();
  const { catalogLabel, walk, memoryBudgetBytes: budget } = resolveCandidateWalk({ catalog: str("catalog"), "candidate-models": str("candidate-models"), "memory-budget": str("memory-budget") }, cwd, machine.totalRamBytes);
  const numbers = asUsage(() => parseTuneNumbers(args));
  const gpu = await detectAutoBackend();
  const axes = asUsage(() => parseStage2Axes(args as Partial<Record<AxisFlag, string>>, {
    targetContext: numbers.target_context, cores: defaultThreads(machine), engines: enginesPresent(gpu), gpu,
  }));
  const llama = await openEngine();
  const dirs = { fixturesDir: fixturesDir(), modelsDir: resolve(cwd, str("models-dir") ?? modelsDir()), targetContext: numbers.target_context, llama };
  const facts = [];
  for (const c of walk) facts.push(await candidateFacts(c, dirs));
  const plan = autotunePlan({ catalog: catalogLabel, targetContext: numbers.target_context, gateTtftMs: numbers.gate_ttft_ms, memoryBudgetBytes: budget, walk, facts, axes, apply: false });
  process.stdout.write((args.json ? JSON.stringify(plan, null, 2) : renderPlan(plan)) + "\n");
}

if (import.meta.main) await runScript(autotuneCommand);
