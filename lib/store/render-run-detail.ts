/** The report `macprovider runs show ID` prints: what the run was given, what it chose, every trial. */
import { formatTable } from "./format-table.ts";
import { formatTps, formatWhen } from "./render-run-list.ts";
import type { RunDetail, RunRecord, TrialRecord } from "./run-store.ts";
import { sortTrials } from "./sort-trials.ts";

const UNKNOWN = "unknown (recorded by an older version)";
const dash = (v: string | number | null) => (v === null ? "-" : String(v));

function describeRun(run: RunRecord): string[] {
  const m = run.machine;
  const i = run.inputs;
  const rec = run.recommendation;
  return [
    `run ${run.run_id}`,
    `  started      ${formatWhen(run.started_at)}${run.finished_at ? `, finished ${formatWhen(run.finished_at)}` : ", not finished"}`,
    `  exit reason  ${run.exit_reason ?? "-"}`,
    `  machine      ${m ? `${m.ram_gb} GB RAM, ${m.chip}, ${m.physical_cores} cores, ${m.os_version}, macprovider ${m.binary_version}` : UNKNOWN}`,
    `  inputs       ${
      i
        ? `target context ${i.target_context}, candidates ${i.candidate_models.join(",")}, gate ${i.gate_ttft_ms} ms, ` +
          `replicates ${i.stage1_replicates}/${i.stage2_replicates}, tie epsilon ${i.tps_tie_epsilon}`
        : UNKNOWN
    }`,
    `  recommended  ${rec ? `${rec.model} at ${formatTps(rec.tps_median ?? null)} tok/s${run.recipe_hash ? ` (recipe ${run.recipe_hash})` : ""}` : "none"}`,
  ];
}

function trialRow(t: TrialRecord): string[] {
  return [
    t.kept ? "*" : "",
    String(t.id),
    String(t.stage),
    t.model,
    t.kv_bits === null ? "unset" : String(t.kv_bits),
    dash(t.max_context_cap),
    dash(t.max_batch),
    dash(t.threads),
    dash(t.flash_attention),
    dash(t.engine),
    dash(t.gpu),
    dash(t.gpu_layers),
    t.fits ? "yes" : "no",
    String(t.n_err),
    dash(t.replicates_n),
    formatTps(t.tps),
    t.ttft_p95_ms === null ? "-" : String(Math.round(t.ttft_p95_ms)),
    t.load_ms === null ? "-" : String(Math.round(t.load_ms)),
    t.notes ?? "",
  ];
}

const TRIAL_HEADER = ["kept", "id", "stage", "model", "kv_bits", "ctx", "batch", "threads", "fa", "engine", "gpu", "layers", "fits", "errors", "reps", "tok/s", "ttft p95 ms", "load ms", "notes"];

/** Trials sorted by stage, then tok/s descending; the kept trial is marked `*`. */
export function renderRunDetail(detail: RunDetail): string {
  const trials = detail.trials.length === 0 ? "no trials" : formatTable(TRIAL_HEADER, sortTrials(detail.trials).map(trialRow));
  return [...describeRun(detail.run), "", `trials (${detail.trials.length})`, trials].join("\n");
}
