/** Assembles the Stage 1 document from the prewarm document, the probes and the walk's outcome. */
import { TUNE_SPEC_VERSION, type PrewarmDocument, type TuneInputs } from "./tune-documents.ts";
import type { Stage1Document, Stage1Selected, Stage1Trial } from "./stage1-document.ts";
import type { WalkOutcome } from "./stage1-walk-outcome.ts";

export type Stage1DocumentParts = {
  prewarm: PrewarmDocument;
  /** The inputs with Stage 1's flags applied. */
  inputs: TuneInputs;
  db: string;
  trials: Stage1Trial[];
  outcome: WalkOutcome;
  /** The walk was stopped by a signal (ERR-2). */
  interrupted?: boolean;
};

/** exit_reason: `interrupted`, else null with a selection (Stage 2 goes on), else `all_infeasible`. */
export function buildStage1Document(parts: Stage1DocumentParts): Stage1Document {
  const { prewarm, outcome } = parts;
  const selected = parts.interrupted ? null : selectedEntry(parts);
  return {
    stage: "stage1",
    spec_version: TUNE_SPEC_VERSION,
    run_id: prewarm.run_id,
    started_at: prewarm.started_at,
    db: parts.db,
    inputs: parts.inputs,
    machine: prewarm.machine,
    prewarm: prewarm.candidates,
    selected,
    trials: parts.trials,
    infeasible: outcome.infeasible,
    alternates: selected ? outcome.alternates : [],
    exit_reason: parts.interrupted ? "interrupted" : selected ? null : "all_infeasible",
  };
}

function selectedEntry({ prewarm, outcome, trials }: Stage1DocumentParts): Stage1Selected | null {
  if (outcome.selected === null) return null;
  const candidate = prewarm.candidates.find((c) => c.name === outcome.selected);
  const trial = trials.find((t) => t.model === outcome.selected && t.feasible);
  if (!candidate?.path || !trial || trial.ttft_p95_ms === null) throw new Error(`stage1: the selected candidate ${outcome.selected} has no feasible probe`);
  return { name: candidate.name, ref: candidate.ref, path: candidate.path, size_b: candidate.size_b, ttft_p95_ms: Math.round(trial.ttft_p95_ms), load_ms: trial.load_ms };
}
