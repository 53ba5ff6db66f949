/** The run's facts: what it ran on, what it was given, how it ended and how long each part took. */
import { formatDuration } from "./format-duration.ts";
import { htmlFacts } from "./html-facts.ts";
import type { ReportModel } from "./report-model.ts";

const UNKNOWN = "unknown (recorded by an older version)";

export function renderRunSection(model: ReportModel): string {
  const { run, timings } = model;
  const m = run.machine;
  const i = run.inputs;
  const axes = i && Object.keys(i.axes ?? {}).length > 0 ? JSON.stringify(i.axes) : "not recorded on the run row (the Stage 2 cells above are what was measured)";
  const facts = htmlFacts([
    ["run id", run.run_id],
    ["exit reason", run.exit_reason ?? (run.finished_at === null ? "none: not finished" : "none recorded")],
    ["started", run.started_at],
    ["finished", run.finished_at ?? "not finished"],
    ["wall time", formatDuration(timings.wallMs)],
    ["pre-warm + Stage 1", formatDuration(timings.stage1Ms)],
    ["Stage 2", formatDuration(timings.stage2Ms)],
    ["machine", m ? `${m.chip}, ${m.physical_cores} cores, ${m.ram_gb} GB RAM, ${m.os_version}` : UNKNOWN],
    ["macprovider", m ? m.binary_version : UNKNOWN],
    ["candidates", i ? i.candidate_models.join(", ") : UNKNOWN],
    ["target context", i ? i.target_context : UNKNOWN],
    ["TTFT gate", i ? `${i.gate_ttft_ms} ms` : UNKNOWN],
    ["replicates", i ? `Stage 1: ${i.stage1_replicates}, Stage 2: ${i.stage2_replicates}` : UNKNOWN],
    ["tie epsilon", i ? i.tps_tie_epsilon : UNKNOWN],
    ["Stage 2 axes", i ? axes : UNKNOWN],
    ["catalog", i ? i.catalog : UNKNOWN],
    ["spec version", run.spec_version],
  ]);
  return `<section id="run">\n<h2>The run</h2>\n${facts}\n</section>`;
}
