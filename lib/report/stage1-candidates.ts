/**
 * Stage 1 as the report shows it: every candidate in walk order with its status. The store holds a
 * row per probe and per pre-warm failure it recorded; a candidate without a row is placed by where
 * the walk stopped (skipped before a probe, untested after the chosen one, or never reached).
 */
import type { RunRecord, TrialRecord } from "../store/run-store.ts";

export type CandidateStatus = "chosen" | "infeasible" | "integrity" | "transient" | "too_big" | "skipped" | "untested" | "not_reached";

export type CandidateView = {
  name: string;
  /** 1-based position in the walk order; null for a trial of a candidate the inputs do not list. */
  rank: number | null;
  status: CandidateStatus;
  ttftP95Ms: number | null;
  loadMs: number | null;
  /** Median decode tok/s of the probe's replicates. */
  tps: number | null;
  /** Why it is not chosen, or what was measured; null when there is nothing to say. */
  reason: string | null;
};

export const STATUS_LABELS: Record<CandidateStatus, string> = {
  chosen: "chosen",
  infeasible: "infeasible",
  integrity: "integrity failure",
  transient: "transient failure",
  too_big: "too big by estimate",
  skipped: "skipped before loading",
  untested: "untested",
  not_reached: "not reached",
};

const SKIPPED = "ruled out by pre-warm without loading (too big by estimate, or a transient failure; the store does not record which)";
const PREWARM_NOTE = /^pre-warm (integrity|transient|too_big): (.*)$/s;

export function stage1Candidates(run: RunRecord, trials: readonly TrialRecord[]): CandidateView[] {
  const names = run.inputs?.candidate_models ?? [];
  const rows = new Map<string, TrialRecord>();
  for (const t of [...trials].sort((a, b) => a.id - b.id)) if (t.stage === 1 && !rows.has(t.model)) rows.set(t.model, t);
  const walk: Walk = {
    lastProbed: Math.max(0, ...names.map((name, i) => (rows.has(name) ? i + 1 : 0))),
    chosen: [...rows.values()].some((t) => t.fits),
    exitReason: run.exit_reason,
  };
  const views = names.map((name, i) => {
    const row = rows.get(name);
    return row ? fromRow(row, i + 1) : unprobed(name, i + 1, walk);
  });
  for (const row of rows.values()) if (!names.includes(row.model)) views.push(fromRow(row, null));
  return views;
}

function fromRow(row: TrialRecord, rank: number | null): CandidateView {
  const prewarm = PREWARM_NOTE.exec(row.notes ?? "");
  const status: CandidateStatus = prewarm ? (prewarm[1] as CandidateStatus) : row.fits ? "chosen" : "infeasible";
  return { name: row.model, rank, status, ttftP95Ms: row.ttft_p95_ms, loadMs: row.load_ms, tps: row.tps, reason: prewarm ? prewarm[2]! : row.notes };
}

type Walk = { lastProbed: number; chosen: boolean; exitReason: string | null };

/** A candidate with no row: where it sat relative to the rows tells what happened to it. */
function unprobed(name: string, rank: number, walk: Walk): CandidateView {
  const view = (status: CandidateStatus, reason: string): CandidateView => ({ name, rank, status, ttftP95Ms: null, loadMs: null, tps: null, reason });
  if (walk.exitReason === "pre_warm_integrity_failure") return view("not_reached", "the run stopped at the integrity failure before Stage 1 probed it");
  if (rank < walk.lastProbed || (!walk.chosen && walk.exitReason === "all_infeasible")) return view("skipped", SKIPPED);
  if (walk.chosen) return view("untested", "after the chosen candidate; the walk stops at the first feasible one");
  return view("not_reached", "the run ended before Stage 1 reached it");
}
