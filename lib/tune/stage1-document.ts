/**
 * The document Stage 1 writes (PIPE-1): the prewarm document's run, inputs and machine carried
 * forward, every probe as a trial, the chosen candidate, and the infeasible ones smallest first (S1-4).
 */
import type { ExitReason, PrewarmCandidate, RunDocumentHeader } from "./tune-documents.ts";

/** One streamed request of a probe, as measured from the client. */
export type Stage1Replicate = {
  ok: boolean;
  ttft_ms: number | null;
  completion_tokens: number | null;
  decode_tps: number | null;
  /** One line; null when ok. */
  error: string | null;
  /** Special-token or stop text found in the output (S1-3); [] when well formed. */
  leaked: string[];
};

/** One probe of one candidate: a real `serve --no-join` started, warmed up and measured (a DB-1 trial row). */
export type Stage1Trial = {
  model: string;
  size_b: number;
  /** 1-based position in the walk order. */
  rank: number;
  knobs: { max_context: number; max_batch: number; threads: number };
  ready: boolean;
  /** From starting serve to its ready event, ms; null when it never became ready. */
  load_ms: number | null;
  replicates: Stage1Replicate[];
  ttft_p95_ms: number | null;
  /** Failed steps: not becoming ready, the warm-up request, each replicate. */
  n_err: number;
  feasible: boolean;
  /** Why it is infeasible, one line; null when feasible. */
  reason: string | null;
};

export type Stage1Selected = { name: string; ref: string; path: string; size_b: number; ttft_p95_ms: number; load_ms: number | null };

/** `rank`: 1-based position in the walk order. The list is ordered by size, smallest first. */
export type Stage1Infeasible = { model: string; rank: number; size_b: number; reason: string };

/** `inputs`: the prewarm document's, with this stage's flags applied. */
export type Stage1Document = RunDocumentHeader & {
  stage: "stage1";
  /** The candidates as pre-warm left them, in walk order. */
  prewarm: PrewarmCandidate[];
  selected: Stage1Selected | null;
  trials: Stage1Trial[];
  infeasible: Stage1Infeasible[];
  /** Names of smaller candidates left untested after the selected one, in walk order. */
  alternates: string[];
  /** null: go on to Stage 2; else why the run ends here (ERR-1). */
  exit_reason: ExitReason | null;
};
