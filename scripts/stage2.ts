/**
 * `bun scripts/stage2.ts < stage1.json > stage2.json`: Stage 2 of autotune (S2-1…S2-5, REC-1…3) —
 * the knobs for the model Stage 1 chose, throughput under the TTFT gate. Prints the stage2 document
 * (the recommendation, REC-2) on stdout and the recommendation block (REC-1) on stderr.
 */
import { defineCommand } from "citty";
import { asUsage, CliError } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { readDocumentInput } from "../lib/cli/io/read-document-input.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { detectAutoBackend } from "../lib/engine/io/detect-gpu.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { defaultDbPath } from "../lib/host/io/paths.ts";
import { openRunStore } from "../lib/store/io/open-run-store.ts";
import { DEFAULT_KEEP_RUNS } from "../lib/store/pick-runs-to-prune.ts";
import { RunStoreError } from "../lib/store/run-store-error.ts";
import { runStage2 } from "../lib/tune/io/run-stage2.ts";
import { renderRecommendation } from "../lib/tune/render-recommendation.ts";
import { parseStage2Input } from "../lib/tune/stage2-parse-input.ts";
import { resolveStage2Options, type Stage2Flags } from "../lib/tune/stage2-options.ts";
import { TUNE_INPUT_ARGS } from "../lib/tune/tune-input-args.ts";
import { EXIT_REASONS } from "../lib/tune/tune-documents.ts";
import { enginesPresent } from "../lib/engine/io/local-builds.ts";
import { interruptOnSignals } from "../lib/cli/io/interrupt-on-signals.ts";

const AXIS_ARGS = {
  "kv-bits-axis": { type: "string", valueHint: "LIST", description: "KV cache precisions to try: none (F16), 8, 4. Defaults to none,8,4." },
  "max-batch-axis": { type: "string", valueHint: "LIST", description: "Concurrent sequences to try; a cell with B is measured with B concurrent streams. Defaults to 1,2,4." },
  "max-context-axis": { type: "string", valueHint: "LIST", description: "Served context caps to try, each ≥ --target-context (sorted ascending). Defaults to the target context." },
  "threads-axis": { type: "string", valueHint: "LIST", description: "CPU thread counts to try; with gpu_layers max only the largest is measured (every layer is on the GPU). Defaults to every count from 1 to the machine's physical cores." },
  "flash-attention-axis": { type: "string", valueHint: "LIST", description: "Flash attention settings to try: off, on, auto (quantized KV forces on). Defaults to off,on." },
  "engine-axis": { type: "string", valueHint: "LIST", description: "llama.cpp builds to try: prebuilt, local. Defaults to the builds present (prebuilt, plus local after `engine build` for this machine's backend)." },
  "gpu-layers-axis": { type: "string", valueHint: "LIST", description: "GPU offloads to try: auto, max or layer counts; every cell runs on the backend node-llama-cpp detects. Defaults to max when there is a GPU; on a CPU-only machine there is no such axis (and giving one is an error)." },
} as const;

export const stage2Command = defineCommand({
  meta: { name: "stage2", description: "Stage 2 of autotune: tune the knobs of the model Stage 1 chose for throughput under the TTFT gate; prints the recommendation document as JSON." },
  args: {
    in: { type: "string", valueHint: "FILE", description: "The stage1 document to read. Defaults to stdin." },
    ...AXIS_ARGS,
    "stage2-replicates": { ...TUNE_INPUT_ARGS["stage2-replicates"], description: "Measurements per cell (the default search gives the cells that cannot win only one). Defaults to the document's stage2_replicates, else 3." },
    "tps-tie-epsilon": { ...TUNE_INPUT_ARGS["tps-tie-epsilon"], description: "Relative throughput band inside which the lower TTFT p95 wins; widened to the measured noise floor. Defaults to the document's, else 0.03." },
    exhaustive: { type: "boolean", description: "Measure the full product of the axes every round instead of the pruned search." },
    "recommendation-block": { type: "boolean", default: true, description: "Print the recommendation block (REC-1) on stderr. Defaults to on.", negativeDescription: "Leave the block out (autotune prints it itself)." },
    "max-tokens": { type: "string", valueHint: "N", description: "Tokens each stream generates (ignore_eos). Defaults to 64." },
    "anchor-every": { type: "string", valueHint: "N", description: "Cells between two re-measurements of the anchor cell. Defaults to 4." },
    "load-timeout-ms": { type: "string", valueHint: "MS", description: "How long a cell's provider may take to become ready. Defaults to 300000." },
    "keep-runs": { type: "string", valueHint: "N", description: `Runs kept in the store; older ones are deleted with their trials. Defaults to ${DEFAULT_KEEP_RUNS}.` },
    db: { type: "string", valueHint: "FILE", description: "The run store (SQLite). Defaults to the document's db, else $XDG_DATA_HOME/macprovider/autotune.db." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    const stage1 = asUsage(() => parseStage2Input(readDocumentInput("stage2", "stage1", args.in)));
    if (stage1.exit_reason !== null || stage1.selected === null) {
      logger.warn(`stage2: the stage1 document ended with ${stage1.exit_reason}; nothing to tune`);
      print(stage1);
      process.exitCode = EXIT_REASONS[stage1.exit_reason ?? "internal_error"];
      return;
    }
    const flags = Object.fromEntries(Object.entries(args).filter(([, v]) => typeof v === "string")) as Stage2Flags;
    const gpu = await detectAutoBackend();
    const settings = asUsage(() => resolveStage2Options(stage1.inputs, flags, {
      cores: defaultThreads(detectMachine()),
      engines: enginesPresent(gpu),
      gpu,
    }));
    const db = args.db ?? stage1.db ?? defaultDbPath();
    const store = openStore(db);
    const interrupt = interruptOnSignals("the cell in flight");
    try {
      const doc = await runStage2({ ...stage1, selected: stage1.selected }, {
        ...settings, exhaustive: Boolean(args.exhaustive), db, store, signal: interrupt.signal, log: (line) => logger.info(line),
      });
      print(doc);
      if (args["recommendation-block"] !== false) process.stderr.write(renderRecommendation(doc) + "\n");
      process.exitCode = EXIT_REASONS[doc.exit_reason];
    } finally {
      store.close();
    }
  },
});

function openStore(db: string) {
  try {
    return openRunStore(db);
  } catch (error) {
    if (error instanceof RunStoreError) throw new CliError(`stage2: ${error.message}`, EXIT_REASONS.config_error);
    throw error;
  }
}

function print(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}

if (import.meta.main) await runScript(stage2Command);
