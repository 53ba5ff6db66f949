/**
 * Stage 2 for the model Stage 1 selected (S2-1…S2-5): the search, the recommendation, and the run
 * store's rows (every measured cell, the kept winner, the anchor with the noise floor, the run's
 * exit reason, recipe hash and recommendation; retention after).
 */
import type { RunStore } from "../../store/run-store.ts";
import type { Stage1Document } from "../stage1-document.ts";
import { buildStage2Document } from "../stage2-build-document.ts";
import type { Stage2Document } from "../stage2-document.ts";
import { stage2TrialRows } from "../stage2-trial-rows.ts";
import type { TuneInputs } from "../tune-documents.ts";
import type { Stage2Axes } from "../parse-stage2-axes.ts";
import { measureCell } from "./measure-cell.ts";
import { stage2Search } from "./stage2-search.ts";

export type Stage2RunOptions = {
  axes: Stage2Axes;
  exhaustive: boolean;
  /** The inputs carried on, with Stage 2's flags and axes applied. */
  inputs: TuneInputs;
  db: string;
  store: RunStore;
  keepRuns: number;
  maxTokens: number;
  sentences?: number;
  loadTimeoutMs: number;
  anchorEvery: number;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  log(line: string): void;
};

export async function runStage2(stage1: Stage1Document & { selected: NonNullable<Stage1Document["selected"]> }, o: Stage2RunOptions): Promise<Stage2Document> {
  const started = performance.now();
  ensureRun(o.store, stage1, o.inputs);
  const gateTtftMs = o.inputs.gate_ttft_ms;
  const result = await stage2Search({
    axes: o.axes, exhaustive: o.exhaustive, replicates: o.inputs.stage2_replicates, gateTtftMs, epsilon: o.inputs.tps_tie_epsilon,
    anchorEvery: o.anchorEvery, signal: o.signal, log: o.log,
    measure: (cell) => measureCell(stage1.selected.path, cell, { gateTtftMs, replicates: o.inputs.stage2_replicates, maxTokens: o.maxTokens, sentences: o.sentences, loadTimeoutMs: o.loadTimeoutMs, env: o.env, signal: o.signal }),
  });
  const finishedAt = new Date().toISOString();
  const doc = buildStage2Document({
    stage1, inputs: o.inputs, db: o.db, mode: o.exhaustive ? "exhaustive" : "default", ...result, finishedAt, wallMs: performance.now() - started,
  });
  for (const row of stage2TrialRows(doc, stage1.selected.name, result.anchorTps, finishedAt)) o.store.addTrial(row);
  o.store.finishRun(doc.run_id, { finished_at: finishedAt, exit_reason: doc.exit_reason, recipe_hash: doc.recipe_hash, recommendation: doc.recommendation, inputs: doc.inputs });
  const pruned = o.store.pruneRuns(o.keepRuns);
  if (pruned.length > 0) o.log(`retention: removed ${pruned.length} old run(s) (--keep-runs ${o.keepRuns})`);
  return doc;
}

/** A stage1 document made without a store still gets its run row. */
function ensureRun(store: RunStore, stage1: Stage1Document, inputs: TuneInputs): void {
  if (store.getRun(stage1.run_id) !== null) return;
  store.createRun({ run_id: stage1.run_id, spec_version: stage1.spec_version, started_at: stage1.started_at, machine: stage1.machine, inputs });
}
