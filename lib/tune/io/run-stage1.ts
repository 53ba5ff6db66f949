/**
 * Stage 1 (S1-1…S1-4): walks the prewarm document's candidates in order, records the ones pre-warm
 * ruled out without loading them, probes each warmed one and stops at the first feasible.
 */
import { judgeCandidate } from "../judge-candidate.ts";
import { buildStage1Document } from "../stage1-build-document.ts";
import type { Stage1Document, Stage1Trial } from "../stage1-document.ts";
import { stage1Inputs, type Stage1Options } from "../stage1-options.ts";
import { stage1SkipReason } from "../stage1-skip-reason.ts";
import { stage1WalkOutcome, type WalkStep } from "../stage1-walk-outcome.ts";
import type { PrewarmCandidate, PrewarmDocument } from "../tune-documents.ts";
import { probeCandidate } from "./probe-candidate.ts";
import type { Stage1Recorder } from "./stage1-recorder.ts";

export type RunStage1Options = Stage1Options & {
  /** The run store path written into the document. */
  db: string;
  /** Where trials and the run's end are recorded; none = document only. */
  recorder?: Stage1Recorder;
  /** Aborting stops the candidate in flight and ends the walk as `interrupted` (ERR-2). */
  signal?: AbortSignal;
  /** The environment serve starts from. Defaults to this process's. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
};

export async function runStage1(prewarm: PrewarmDocument, options: RunStage1Options): Promise<Stage1Document> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const candidates = prewarm.candidates;
  const steps: WalkStep[] = [];
  const trials: Stage1Trial[] = [];
  for (const [i, candidate] of candidates.entries()) {
    if (options.signal?.aborted) break;
    const tag = `[${i + 1}/${candidates.length}] ${candidate.name} (${candidate.size_b}B)`;
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s elapsed`;
    const skip = stage1SkipReason(candidate);
    if (skip !== null) {
      log(`${tag}: infeasible without loading — ${skip}`);
      steps.push({ name: candidate.name, feasible: false, reason: skip });
      continue;
    }
    log(`${tag}: starting serve (context ${options.targetContext}, ${options.threads} thread(s), ${options.replicates} replicate(s), gate ${options.gateTtftMs} ms)`);
    const trial = await probe(candidate, i + 1, options, (line) => log(`${tag}: ${line}`));
    if (options.signal?.aborted) break; // a probe cut short is no verdict
    trials.push(trial);
    options.recorder?.addTrial(trial);
    steps.push({ name: candidate.name, feasible: trial.feasible, reason: trial.reason });
    log(`${tag}: ${trial.feasible ? `feasible, TTFT p95 ${Math.round(trial.ttft_p95_ms!)} ms` : `infeasible — ${trial.reason}`} (${elapsed()})`);
    if (trial.feasible) break;
  }
  const outcome = stage1WalkOutcome(candidates, steps);
  const interrupted = options.signal?.aborted ?? false;
  const doc = buildStage1Document({ prewarm, inputs: stage1Inputs(prewarm.inputs, options), db: options.db, trials, outcome, interrupted });
  if (doc.exit_reason !== null) options.recorder?.finish(doc.exit_reason);
  return doc;
}

async function probe(candidate: PrewarmCandidate, rank: number, options: RunStage1Options, log: (line: string) => void): Promise<Stage1Trial> {
  const measured = await probeCandidate(candidate.path!, { ...options, log });
  const verdict = judgeCandidate(measured, { gateTtftMs: options.gateTtftMs, replicates: options.replicates, specials: measured.specials });
  return {
    model: candidate.name,
    size_b: candidate.size_b,
    rank,
    knobs: { max_context: options.targetContext, max_batch: 1, threads: options.threads },
    ready: measured.ready,
    load_ms: measured.loadMs,
    replicates: verdict.replicates,
    ttft_p95_ms: verdict.ttftP95Ms,
    n_err: verdict.errors,
    feasible: verdict.feasible,
    reason: verdict.reason,
  };
}
