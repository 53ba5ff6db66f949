/**
 * The prewarm stage (PW-1…3, PIPE-1) as a function: walks the candidates in order, records the run
 * and any integrity failure in the run store, and returns the stage's document. An integrity
 * failure stops the walk: the run is over (pre_warm_integrity_failure).
 */
import type { Llama } from "node-llama-cpp";
import type { RunStore } from "../../store/run-store.ts";
import { buildPrewarmDocument } from "../build-prewarm-document.ts";
import { prewarmTrial } from "../prewarm-trial.ts";
import { TUNE_SPEC_VERSION, type CatalogCandidate, type MachineFacts, type PrewarmCandidate, type PrewarmDocument, type TuneInputs } from "../tune-documents.ts";
import type { DownloadProgress } from "./download-model.ts";
import { prewarmCandidate, type PrewarmOutcome } from "./prewarm-candidate.ts";

export type PrewarmRunOptions = {
  runId: string;
  /** ISO-8601. */
  startedAt: string;
  store: RunStore;
  inputs: TuneInputs;
  machine: MachineFacts;
  /** In walk order; their names are `inputs.candidate_models`. */
  candidates: CatalogCandidate[];
  fixturesDir: string;
  /** See DownloadOptions.stallMs. */
  stallMs: number;
  llama: Llama;
  /** Aborting it stops the walk (the current download too); the run ends `interrupted`. */
  signal?: AbortSignal;
};

export type PrewarmHooks = {
  onStart?: (candidate: CatalogCandidate, index: number, total: number) => void;
  onResult?: (outcome: PrewarmOutcome, index: number, total: number) => void;
  onProgress?: (candidate: CatalogCandidate, progress: DownloadProgress) => void;
};

export async function runPrewarm(options: PrewarmRunOptions, hooks: PrewarmHooks = {}): Promise<PrewarmDocument> {
  const { runId, store, inputs, signal } = options;
  // The same run id again (a rerun of this stage alone) keeps its row.
  if (!store.getRun(runId)) store.createRun({ run_id: runId, spec_version: TUNE_SPEC_VERSION, started_at: options.startedAt, machine: options.machine, inputs });
  const results: PrewarmCandidate[] = [];
  const total = options.candidates.length;
  for (const [i, candidate] of options.candidates.entries()) {
    if (signal?.aborted) break;
    hooks.onStart?.(candidate, i + 1, total);
    const outcome = await prewarmCandidate(candidate, {
      llama: options.llama,
      modelsDir: inputs.models_dir,
      fixturesDir: options.fixturesDir,
      targetContext: inputs.target_context,
      memoryBudgetBytes: inputs.memory_budget_bytes,
      stallMs: options.stallMs,
      onProgress: (p) => hooks.onProgress?.(candidate, p),
      signal,
    });
    if (signal?.aborted) break; // its failure is the interruption's, not the candidate's
    results.push(outcome.candidate);
    hooks.onResult?.(outcome, i + 1, total);
    // Every candidate ruled out before loading is a stage-1 row with its reason (S1-4), so the run
    // store (and its report) tells too big from unreachable from defective.
    if (outcome.candidate.status !== "warmed") store.addTrial(prewarmTrial(runId, outcome.candidate, inputs, new Date().toISOString()));
    if (outcome.candidate.status === "integrity") break;
  }
  const doc = buildPrewarmDocument({
    run_id: runId, started_at: options.startedAt, db: store.path, inputs, machine: options.machine, candidates: results, interrupted: signal?.aborted,
  });
  if (doc.exit_reason !== null) store.finishRun(runId, { finished_at: new Date().toISOString(), exit_reason: doc.exit_reason, recipe_hash: null, recommendation: null });
  return doc;
}
