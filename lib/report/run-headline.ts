/**
 * The first thing the report says: what the run recommends, or that it failed, why, and how much
 * was measured before it ended (REC-1's facts for a success; ERR-1's exit reason for the rest).
 */
import type { RunRecord } from "../store/run-store.ts";
import { EXIT_REASONS } from "../tune/tune-documents.ts";

export type RunHeadline = {
  ok: boolean;
  /** One sentence: the recommendation, or the failure. */
  title: string;
  /** What the exit reason means, and what was measured before the run ended. */
  detail: string;
};

const FAILURES: Record<string, string> = {
  all_infeasible: "no candidate passed Stage 1: none was ready, error-free and within the TTFT gate",
  stage2_no_feasible_cell: "the chosen model passed Stage 1, but no Stage 2 cell was feasible",
  pre_warm_integrity_failure: "a candidate failed the integrity check in pre-warm, so the run stopped",
  interrupted: "the run was interrupted (SIGINT or SIGTERM) before it finished",
  provider_conflict: "a provider was already running and the run was told not to drain it",
  config_error: "the run was refused: a bad flag, catalog or document",
  apply_failed: "a recipe was chosen, but writing it into the config failed",
  internal_error: "the run ended on an internal error",
};

export function runHeadline(run: RunRecord, measured: { probes: number; cells: number }): RunHeadline {
  const rec = run.recommendation;
  if (rec && (run.exit_reason === "completed" || run.exit_reason === "apply_failed")) {
    const ttft = typeof rec.ttft_p95_ms === "number" ? `, TTFT p95 ${Math.round(rec.ttft_p95_ms)} ms` : "";
    const tps = typeof rec.tps_median === "number" ? ` at ${rec.tps_median.toFixed(1)} tok/s aggregate${ttft}` : "";
    const applyNote = run.exit_reason === "apply_failed" ? `; ${FAILURES.apply_failed}` : "";
    return { ok: run.exit_reason === "completed", title: `Recommended: ${rec.model}${tps}`, detail: `${summary(measured)}${applyNote}.` };
  }
  const reason = run.exit_reason;
  if (reason === null) {
    const state = run.finished_at === null ? "has not finished: it is still running, or its process was killed before recording an end" : "finished without an exit reason";
    return { ok: false, title: `No recommendation: the run ${state}`, detail: `Measured before it stopped: ${summary(measured)}.` };
  }
  if (reason === "completed") return { ok: false, title: "No recommendation: the run completed without recording one", detail: `Measured: ${summary(measured)}.` };
  const code = (EXIT_REASONS as Record<string, number>)[reason];
  const meaning = FAILURES[reason] ?? "an exit reason this version does not know";
  return {
    ok: false,
    title: `Run failed: ${reason}${code === undefined ? "" : ` (exit ${code})`}`,
    detail: `No recommendation: ${meaning}. Measured before it ended: ${summary(measured)}.`,
  };
}

function summary({ probes, cells }: { probes: number; cells: number }): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${plural(probes, "Stage 1 trial", "Stage 1 trials")}, ${plural(cells, "Stage 2 cell", "Stage 2 cells")}`;
}
