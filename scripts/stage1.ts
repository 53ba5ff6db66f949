/**
 * `bun scripts/stage1.ts < prewarm.json > stage1.json`: Stage 1 of autotune (S1-1…S1-4) — the
 * biggest feasible model. Reads a prewarm document, probes the candidates in its order as real
 * `serve --no-join` subprocesses, writes the stage1 document. Logs and progress go to stderr.
 */
import { defineCommand } from "citty";
import { asUsage, CliError } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { readDocumentInput } from "../lib/cli/io/read-document-input.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { defaultDbPath } from "../lib/host/io/paths.ts";
import { RunStoreError } from "../lib/store/run-store-error.ts";
import { openStage1Recorder, type Stage1Recorder } from "../lib/tune/io/stage1-recorder.ts";
import { runStage1 } from "../lib/tune/io/run-stage1.ts";
import { resolveStage1Options, stage1Inputs } from "../lib/tune/stage1-options.ts";
import { parseStage1Input } from "../lib/tune/stage1-parse-input.ts";
import { TUNE_INPUT_ARGS } from "../lib/tune/tune-input-args.ts";
import { stage1Summary } from "../lib/tune/stage1-summary.ts";
import { EXIT_REASONS, type PrewarmDocument, type TuneInputs } from "../lib/tune/tune-documents.ts";
import { interruptOnSignals } from "../lib/cli/io/interrupt-on-signals.ts";

export const stage1Command = defineCommand({
  meta: { name: "stage1", description: "Stage 1 of autotune: probe the pre-warmed candidates in order and pick the first (biggest) feasible one; prints the stage1 document as JSON." },
  args: {
    in: { type: "string", valueHint: "FILE", description: "The prewarm document to read. Defaults to stdin." },
    "target-context": { ...TUNE_INPUT_ARGS["target-context"], description: "Context window each candidate serves while probed (serve --max-context). Defaults to the document's target_context, else 8192." },
    "stage1-replicates": { ...TUNE_INPUT_ARGS["stage1-replicates"], description: "Timed streaming requests per candidate, after one untimed warm-up. Defaults to the document's stage1_replicates, else 2." },
    "gate-ttft-ms": { ...TUNE_INPUT_ARGS["gate-ttft-ms"], description: "Latency gate: TTFT p95 a candidate must stay within; a request with no first token by 3× the gate is aborted and fails. Defaults to the document's gate_ttft_ms, else 2000." },
    threads: { type: "string", valueHint: "N", description: "CPU threads each candidate runs with (serve --threads). Defaults to the machine's physical cores." },
    "load-timeout-ms": { type: "string", valueHint: "MS", description: "How long a candidate may take to load and answer ready; a provider that exits while starting fails at once. Defaults to 300000." },
    db: { type: "string", valueHint: "FILE", description: "The run store (SQLite) the trials are recorded in. Defaults to the document's db, else $XDG_DATA_HOME/macprovider/autotune.db." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    const prewarm = asUsage(() => parseStage1Input(readDocumentInput("stage1", "prewarm", args.in)));
    if (prewarm.exit_reason !== null) {
      // The run already ended upstream: hand its document on unchanged, with its exit code.
      logger.warn(`stage1: the prewarm document ended with ${prewarm.exit_reason}; nothing to probe`);
      print(prewarm);
      process.exitCode = EXIT_REASONS[prewarm.exit_reason];
      return;
    }
    const machine = detectMachine();
    const options = asUsage(() => resolveStage1Options(prewarm.inputs, {
      targetContext: args["target-context"], stage1Replicates: args["stage1-replicates"], gateTtftMs: args["gate-ttft-ms"],
      threads: args.threads, loadTimeoutMs: args["load-timeout-ms"],
    }, defaultThreads(machine)));
    const db = args.db ?? prewarm.db ?? defaultDbPath();
    const recorder = openRecorder(db, prewarm, stage1Inputs(prewarm.inputs, options));
    const interrupt = interruptOnSignals("the candidate in flight");
    const started = performance.now();
    try {
      const doc = await runStage1(prewarm, { ...options, db, recorder, signal: interrupt.signal, log: (line) => logger.info(line) });
      print(doc);
      logger.log(stage1Summary(doc, performance.now() - started));
      process.exitCode = doc.exit_reason === null ? 0 : EXIT_REASONS[doc.exit_reason];
    } catch (error) {
      recorder.finish("internal_error"); // the run row says how it ended; runScript prints the stack (exit 70)
      throw error;
    } finally {
      recorder.close();
    }
  },
});

function openRecorder(db: string, prewarm: PrewarmDocument, inputs: TuneInputs): Stage1Recorder {
  try {
    return openStage1Recorder(db, prewarm, inputs);
  } catch (error) {
    if (error instanceof RunStoreError) throw new CliError(`stage1: ${error.message}`, EXIT_REASONS.config_error);
    throw error;
  }
}

function print(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
}

if (import.meta.main) await runScript(stage1Command);
