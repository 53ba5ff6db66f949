/** The chart specs compile with Vega-Lite without a warning, for every shape of run the report meets. */
import { describe, expect, test } from "bun:test";
import { compile } from "vega-lite";
import { reportChartSpecs } from "../../../lib/report/report-chart-specs.ts";
import { buildReportModel } from "../../../lib/report/report-model.ts";
import type { RunDetail } from "../../../lib/store/run-store.ts";
import { anchorTrial, cellTrial, completedRun, runRecord, trial } from "./report-details.ts";

function warningsOf(spec: Parameters<typeof compile>[0]): string[] {
  const said: string[] = [];
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => (said.push(`error: ${m.join(" ")}`), logger),
    warn: (...m: unknown[]) => (said.push(`warn: ${m.join(" ")}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec, { logger: logger as never });
  return said;
}

const runs: [string, RunDetail][] = [
  ["a completed run, two knobs varied", completedRun()],
  ["one knob varied", { run: runRecord(), trials: [cellTrial(null, 1, 40), cellTrial(null, 2, 60, { kept: true }), anchorTrial(0.05)] }],
  ["one cell, infeasible, no anchor", { run: runRecord({ exit_reason: "stage2_no_feasible_cell" }), trials: [cellTrial(null, 64, null, { reason: "no first token within 6000 ms" })] }],
  ["Stage 1 only, nothing measured", { run: runRecord({ exit_reason: "all_infeasible" }), trials: [trial({ model: "fx-80m", notes: "no first token" })] }],
  ["a run without inputs (no gate)", { run: runRecord({ inputs: null }), trials: [trial({ model: "qwen-7b", fits: true, ttft_p95_ms: 640 }), cellTrial(8, 1, 40, { kept: true })] }],
];

describe("reportChartSpecs()", () => {
  test.each(runs)("reportChartSpecs() compiles without a Vega-Lite warning: %s", (_, detail) => {
    const specs = reportChartSpecs(buildReportModel(detail));
    for (const spec of Object.values(specs)) if (spec !== null) expect(warningsOf(spec)).toEqual([]);
  });

  test("reportChartSpecs() leaves out the Stage 2 charts when no cell was measured", () => {
    const specs = reportChartSpecs(buildReportModel({ run: runRecord({ exit_reason: "all_infeasible" }), trials: [trial({ model: "fx-80m" })] }));
    expect(specs.stage1).not.toBeNull();
    expect([specs.stage2Tps, specs.stage2Ttft]).toEqual([null, null]);
  });
});
