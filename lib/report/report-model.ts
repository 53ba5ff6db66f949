/**
 * What the HTML report of one autotune run shows, derived from the `runs show --json` document
 * (`RunDetail`) alone: the headline, Stage 1's candidates, Stage 2's cells and noise, and the run's facts.
 */
import type { RunDetail, RunRecord, StoredRecommendation } from "../store/run-store.ts";
import { rankKnobs, type KnobRank } from "./rank-knobs.ts";
import { readStage2Trials, type Stage2Anchor, type Stage2CellView } from "./read-stage2-trials.ts";
import { runHeadline, type RunHeadline } from "./run-headline.ts";
import { stage1Candidates, type CandidateView } from "./stage1-candidates.ts";

export type ReportModel = {
  run: RunRecord;
  headline: RunHeadline;
  recommendation: StoredRecommendation | null;
  /** The TTFT gate, ms; null for a run stored without its inputs. */
  gateTtftMs: number | null;
  candidates: CandidateView[];
  cells: Stage2CellView[];
  anchor: Stage2Anchor | null;
  /** The knobs that varied across Stage 2's cells, the one that moved tok/s most first. */
  knobs: KnobRank[];
  timings: RunTimings;
};

export type RunTimings = {
  /** Start to end of the run, ms; null while unfinished. */
  wallMs: number | null;
  /** Start to the last Stage 1 row (pre-warm included), ms; null without Stage 1 rows. */
  stage1Ms: number | null;
  /** The last Stage 1 row to the run's end, ms; null without Stage 2 rows. */
  stage2Ms: number | null;
};

export function buildReportModel(detail: RunDetail): ReportModel {
  const { run, trials } = detail;
  const candidates = stage1Candidates(run, trials);
  const { cells, anchor } = readStage2Trials(trials);
  return {
    run,
    headline: runHeadline(run, { probes: trials.filter((t) => t.stage === 1).length, cells: cells.length }),
    recommendation: run.recommendation,
    gateTtftMs: run.inputs?.gate_ttft_ms ?? null,
    candidates,
    cells,
    anchor,
    knobs: rankKnobs(cells),
    timings: runTimings(detail),
  };
}

function runTimings({ run, trials }: RunDetail): RunTimings {
  const at = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));
  const since = (end: number, start: number) => (Number.isFinite(end) && Number.isFinite(start) ? Math.max(0, end - start) : null);
  const start = at(run.started_at);
  const end = at(run.finished_at);
  const stage1End = Math.max(...trials.filter((t) => t.stage === 1).map((t) => at(t.created_at)));
  const hasStage2 = trials.some((t) => t.stage === 2);
  return {
    wallMs: since(end, start),
    stage1Ms: since(stage1End, start),
    stage2Ms: hasStage2 ? since(end, stage1End) : null,
  };
}
