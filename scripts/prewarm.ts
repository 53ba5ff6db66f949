/**
 * `bun scripts/prewarm.ts [--catalog fixtures|builtin|FILE] [--candidate-models a,b]`: the first
 * autotune stage (PW-1…3, PIPE-1). Makes every candidate local, checks it, estimates its memory at the
 * target context and reads the weights once; prints the prewarm document on stdout. Exit 5 with the
 * document when a candidate fails integrity (pre_warm_integrity_failure), 130 when interrupted.
 */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { asUsage, CliError, EXIT } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { openEngine } from "../lib/engine/io/open-engine.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { defaultDbPath, fixturesDir, modelsDir } from "../lib/host/io/paths.ts";
import { openRunStore } from "../lib/store/io/open-run-store.ts";
import { RunStoreError } from "../lib/store/run-store-error.ts";
import type { RunStore } from "../lib/store/run-store.ts";
import { DEFAULT_CATALOG } from "../lib/tune/builtin-catalogs.ts";
import { prewarmExitCode } from "../lib/tune/build-prewarm-document.ts";
import { describePrewarmResult } from "../lib/tune/format-prewarm-progress.ts";
import { machineFacts } from "../lib/tune/machine-facts.ts";
import { checkRunId, newRunId } from "../lib/tune/new-run-id.ts";
import { parseTuneNumbers, TUNE_INPUT_ARGS } from "../lib/tune/tune-input-args.ts";
import type { TuneInputs } from "../lib/tune/tune-documents.ts";
import { downloadBar } from "../lib/tune/io/download-bar.ts";
import { runPrewarm, type PrewarmHooks } from "../lib/tune/io/run-prewarm.ts";
import pkg from "../package.json" with { type: "json" };
import { resolveCandidateWalk } from "../lib/tune/io/resolve-candidate-walk.ts";
import { interruptOnSignals } from "../lib/cli/io/interrupt-on-signals.ts";

export const prewarmCommand = defineCommand({
  meta: { name: "prewarm", description: "Autotune pre-warm stage (before Stage 1): make every candidate local, check it, estimate its memory and warm its weights; prints the prewarm document (JSON)." },
  args: {
    catalog: { type: "string", valueHint: "fixtures|builtin|FILE", description: `Candidate catalog: fixtures (synthetic models, offline), builtin (real instruct models from Hugging Face) or a YAML file. Defaults to ${DEFAULT_CATALOG}.` },
    "candidate-models": { type: "string", valueHint: "a,b,c", description: "Catalog names to walk, in exactly this order. Defaults to the catalog's order (largest first)." },
    "models-dir": { type: "string", description: "Where downloads go and are reused from. Env MACPROVIDER_MODELS_DIR. Defaults to $XDG_DATA_HOME/macprovider/models." },
    "memory-budget": { type: "string", valueHint: "BYTES", description: "Memory a candidate may need at the target context (suffixes K, M, G, T). Defaults to 85% of total RAM." },
    ...TUNE_INPUT_ARGS,
    "run-id": { type: "string", description: "Run id to record this stage under. Defaults to a new id (UTC time + random)." },
    db: { type: "string", description: "Run store (SQLite). Defaults to $XDG_DATA_HOME/macprovider/autotune.db." },
    "stall-timeout-ms": { type: "string", valueHint: "MS", description: "Give up on a download after this long without new bytes (also bounds the first answer). Defaults to 60000." },
    verbose: { type: "boolean", description: "Show stacks of failures." },
  },
  async run({ args }) {
    const cwd = process.cwd();
    const machine = detectMachine();
    const { catalogLabel, walk, memoryBudgetBytes } = resolveCandidateWalk(args, cwd, machine.totalRamBytes);
    const numbers = asUsage(() => parseTuneNumbers(args));
    const stallMs = asUsage(() => parseIntegerOption("--stall-timeout-ms", args["stall-timeout-ms"] ?? "60000", 100));
    const runId = args["run-id"] === undefined ? newRunId(new Date(), randomUUID()) : asUsage(() => checkRunId(args["run-id"]!));
    const inputs: TuneInputs = {
      ...numbers,
      candidate_models: walk.map((c) => c.name),
      axes: {},
      memory_budget_bytes: memoryBudgetBytes,
      catalog: catalogLabel,
      models_dir: resolve(cwd, args["models-dir"] ?? modelsDir()),
    };
    const store = openStore(resolve(cwd, args.db ?? defaultDbPath()));
    const interrupt = interruptOnSignals("pre-warm");
    try {
      const doc = await runPrewarm({
        runId, startedAt: new Date().toISOString(), store, inputs, machine: machineFacts(machine, pkg.version), candidates: walk,
        fixturesDir: fixturesDir(), stallMs, llama: await openEngine(), signal: interrupt.signal,
      }, progressHooks(Boolean(args.verbose)));
      await Bun.write(Bun.stdout, JSON.stringify(doc, null, 2) + "\n");
      process.exitCode = prewarmExitCode(doc);
    } finally {
      interrupt.dispose();
      store.close();
    }
  },
});

function openStore(path: string): RunStore {
  try {
    return openRunStore(path);
  } catch (error) {
    if (error instanceof RunStoreError) throw new CliError(`prewarm: --db: ${error.message}`, EXIT.usage);
    throw error;
  }
}

/** candidate i/n and elapsed time on stderr, one line per result, a download bar on a TTY. */
function progressHooks(verbose: boolean): PrewarmHooks {
  const started = performance.now();
  const bar = downloadBar();
  const counts = new Map<string, number>();
  return {
    onStart: (c, i, n) => logger.start(`[${i}/${n}] ${c.name} (${c.model})`),
    onProgress: (c, p) => bar.update(c.name, p),
    onResult({ candidate, error }, i, n) {
      bar.done();
      counts.set(candidate.status, (counts.get(candidate.status) ?? 0) + 1);
      const line = describePrewarmResult(candidate, i, n, performance.now() - started);
      if (candidate.status === "warmed") logger.success(line);
      else if (candidate.status === "integrity") logger.error(line);
      else logger.warn(line);
      if (verbose && error) logger.error(error);
      if (i === n || candidate.status === "integrity") {
        logger.info(`pre-warm: ${[...counts].map(([s, k]) => `${k} ${s}`).join(", ")} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  };
}

if (import.meta.main) {
  await runScript(prewarmCommand);
  // node-llama-cpp's downloader may still be retrying a download we gave up on: do not wait for it.
  process.exit(process.exitCode ?? 0);
}
