/** The report's Vega-Lite specs from its model; a chart with nothing to plot is null. */
import type { TopLevelSpec } from "vega-lite";
import type { ReportModel } from "./report-model.ts";
import { stage1ChartSpec } from "./stage1-chart-spec.ts";
import { stage2ChartRows } from "./stage2-chart-rows.ts";
import { stage2TpsChartSpec } from "./stage2-tps-chart-spec.ts";
import { stage2TtftChartSpec } from "./stage2-ttft-chart-spec.ts";

export type ReportChartSpecs = { stage1: TopLevelSpec | null; stage2Tps: TopLevelSpec | null; stage2Ttft: TopLevelSpec | null };

export function reportChartSpecs(model: ReportModel): ReportChartSpecs {
  const rows = stage2ChartRows(model.cells, model.knobs);
  const winner = model.cells.find((c) => c.kept)?.tps ?? null;
  return {
    stage1: model.candidates.length === 0 ? null : stage1ChartSpec(model.candidates, model.gateTtftMs),
    stage2Tps: rows.length === 0 ? null : stage2TpsChartSpec(rows, { winnerTps: winner, noiseFloor: model.anchor?.noiseFloor ?? null }),
    stage2Ttft: rows.length === 0 ? null : stage2TtftChartSpec(rows, model.gateTtftMs),
  };
}
