/**
 * `bun scripts/autotune.ts` (`macprovider autotune`): prewarm → stage1 → stage2 (→ apply), each
 * stage a child process fed the previous stage's document (PIPE-1/2), so the composed run is the piped
 * run. Prints the recommendation block (REC-1), or with `--json` the final document (REC-2).
 * `--dry-run` prints the plan and touches nothing (ERR-3).
 */
import { resolve } from "node:path";
import { defineCommand, type ArgsDef } from "citty";
import { asUsage, CliError, EXIT } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { openEngine } from "../lib/engine/io/open-engine.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { fixturesDir, modelsDir } from "../lib/host/io/paths.ts";
import { LOCAL_BUILD_CMAKE_OPTIONS } from "../lib/engine/local-build-options.ts";
import { hasLocalBuild } from "../lib/engine/io/local-builds.ts";
import { memoryBudgetBytes } from "../lib/serve/memory-budget.ts";
import { autotunePlan, renderPlan } from "../lib/tune/autotune-plan.ts";
import { DEFAULT_CATALOG } from "../lib/tune/builtin-catalogs.ts";
import { candidateFacts } from "../lib/tune/io/dry-run-plan.ts";
import { loadCatalog } from "../lib/tune/io/load-catalog.ts";
import { runStageProcess } from "../lib/tune/io/run-stage-process.ts";
import { parseByteSize } from "../lib/tune/parse-byte-size.ts";
import { parseCandidateModels } from "../lib/tune/parse-candidate-models.ts";
import { parseStage2Axes, type AxisFlag } from "../lib/tune/parse-stage2-axes.ts";
import { renderRecommendation } from "../lib/tune/render-recommendation.ts";
import { stageArgv, type StageName } from "../lib/tune/stage-argv.ts";
import type { Stage2Document } from "../lib/tune/stage2-document.ts";
import { parseTuneNumbers } from "../lib/tune/tune-input-args.ts";
import { EXIT_REASONS, type ExitReason } from "../lib/tune/tune-documents.ts";
import { prewarmCommand } from "./prewarm.ts";
import { stage1Command } from "./stage1.ts";
import { stage2Command } from "./stage2.ts";

const { in: _in1, ...stage1Args } = stage1Command.args as ArgsDef;
const { in: _in2, "recommendation-block": _block, ...stage2Args } = stage2Command.args as ArgsDef;

export const autotuneCommand = defineCommand({
  meta: { name: "autotune", description: "Find this machine's recipe: the biggest feasible model (Stage 1), then its knobs (Stage 2); prints the recommendation." },
  args: {
    ...(prewarmCommand.args as ArgsDef),
    ...stage1Args,
    ...stage2Args,
    threads: { type: "string", valueHint: "N", description: "CPU threads Stage 1's probes run with. Defaults to the machine's physical cores (Stage 2 tunes threads with --threads-axis)." },
    "dry-run": { type: "boolean", description: "Print the plan (candidates in walk order with memory estimates, axes, first cells) and touch nothing." },
    json: { type: "boolean", description: "Print the final document (REC-2) on stdout instead of the recommendation block." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    if (args["dry-run"]) return dryRun(args);
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupt.signal.aborted) process.exit(EXIT_REASONS.interrupted);
      logger.warn(`${signal}: stopping the stage in flight`);
      interrupt.abort(signal);
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
    try {
      let doc: Record<string, unknown> | null = null;
      for (const stage of ["prewarm", "stage1", "stage2"] as const satisfies StageName[]) {
        const argv = stageArgv(stage, args);
        const result = await runStageProcess(stage, stage === "stage2" ? [...argv, "--no-recommendation-block"] : argv, doc, interrupt.signal);
        if (result.doc === null) throw new CliError(`autotune: ${stage} ended with exit ${result.code} and no document`, result.code || EXIT.software);
        doc = result.doc;
        if (result.code !== 0 || doc.exit_reason !== null && stage !== "stage2") return finish(doc, result.code, Boolean(args.json));
      }
      return finish(doc!, EXIT_REASONS[(doc!.exit_reason as ExitReason) ?? "internal_error"], Boolean(args.json));
    } finally {
      process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    }
  },
});

function finish(doc: Record<string, unknown>, code: number, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
  else if (doc.stage === "stage2") process.stdout.write(renderRecommendation(doc as unknown as Stage2Document) + "\n");
  else process.stdout.write(`No recommendation: the run ended in ${doc.stage} with ${doc.exit_reason}.\n`);
  process.exitCode = code;
}

async function dryRun(args: Record<string, unknown>): Promise<void> {
  const str = (k: string) => (typeof args[k] === "string" ? (args[k] as string) : undefined);
  const cwd = process.cwd();
  const machine = detectMachine();
  const catalog = asUsage(() => loadCatalog(str("catalog") ?? DEFAULT_CATALOG, cwd));
  const walk = asUsage(() => parseCandidateModels(str("candidate-models"), catalog.candidates, catalog.label));
  const numbers = asUsage(() => parseTuneNumbers(args));
  const budget = str("memory-budget") === undefined ? memoryBudgetBytes(machine.totalRamBytes) : asUsage(() => parseByteSize("--memory-budget", str("memory-budget")!));
  const axes = asUsage(() => parseStage2Axes(args as Partial<Record<AxisFlag, string>>, {
    targetContext: numbers.target_context, cores: defaultThreads(machine), engines: hasLocalBuild(LOCAL_BUILD_CMAKE_OPTIONS) ? ["prebuilt", "local"] : ["prebuilt"],
  }));
  const llama = await openEngine();
  const dirs = { fixturesDir: fixturesDir(), modelsDir: resolve(cwd, str("models-dir") ?? modelsDir()), targetContext: numbers.target_context, llama };
  const facts = [];
  for (const c of walk) facts.push(await candidateFacts(c, dirs));
  const plan = autotunePlan({ catalog: catalog.label, targetContext: numbers.target_context, gateTtftMs: numbers.gate_ttft_ms, memoryBudgetBytes: budget, walk, facts, axes, apply: false });
  process.stdout.write((args.json ? JSON.stringify(plan, null, 2) : renderPlan(plan)) + "\n");
}

if (import.meta.main) await runScript(autotuneCommand);
