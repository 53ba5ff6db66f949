/**
 * Stage 2's latency as a Vega-Lite chart: each cell's TTFT p95 (over every stream of every
 * replicate) as a bar, in the same panels and order as the throughput chart, against the gate line.
 */
import type { TopLevelSpec } from "vega-lite";
import { GATE_COLOR, INFEASIBLE_TEXT } from "./chart-theme.ts";
import { stackedPanelsSpec } from "./stacked-panels-spec.ts";
import { CELL_STATUS_LABELS, type Stage2ChartRow } from "./stage2-chart-rows.ts";

/** Mark names; each panel's marks get the panel's index appended (`ttft_bars_0`). */
export const STAGE2_TTFT_MARKS = { bars: "ttft_bars", labels: "ttft_labels", gate: "ttft_gate" } as const;

export function stage2TtftChartSpec(rows: readonly Stage2ChartRow[], gateTtftMs: number | null): TopLevelSpec {
  const xMax = Math.max(1, gateTtftMs ?? 0, ...rows.map((r) => r.ttft ?? 0)) * 1.1;
  return stackedPanelsSpec(rows, (group, panelRows, i, frame) => panelSpec(group, panelRows, i, { xMax, gateTtftMs, ...frame }));
}

type PanelOptions = { xMax: number; gateTtftMs: number | null; color: object; last: boolean };

// A spec table: long, but one declarative value read top to bottom.
function panelSpec(group: string, rows: readonly Stage2ChartRow[], i: number, o: PanelOptions) {
  const title = o.last ? "TTFT p95 (ms) over every stream of every replicate; dashed: the gate" : null;
  const x = (field: string) => ({ field, type: "quantitative", title, scale: { domain: [0, o.xMax], nice: false }, axis: o.last ? {} : { labels: false, ticks: false, domain: false } });
  const y = { field: "label", type: "nominal", sort: { field: "order", op: "min" }, title: null, axis: { labelLimit: 220 } };
  const cells = rows.map((r) => ({ label: r.label, order: r.order, infeasible: r.status === "infeasible", ttft: r.ttft, x: r.ttft ?? 0, statusLabel: CELL_STATUS_LABELS[r.status], text: r.ttft === null ? "no first token measured" : `${Math.round(r.ttft)} ms` }));
  const gate = o.gateTtftMs === null ? [] : [
    { name: `${STAGE2_TTFT_MARKS.gate}_${i}`, data: { values: [{ gate: o.gateTtftMs }] }, mark: { type: "rule", color: GATE_COLOR, strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x: x("gate") } },
  ];
  return {
    title: { text: group, anchor: "start", fontSize: 12 },
    width: 480,
    height: { step: 22 },
    layer: [
      {
        name: `${STAGE2_TTFT_MARKS.bars}_${i}`,
        data: { values: cells.filter((c) => c.ttft !== null) },
        mark: { type: "bar", height: 14 },
        encoding: { x: x("ttft"), y, color: o.color, description: { field: "text" } },
      },
      {
        name: `${STAGE2_TTFT_MARKS.labels}_${i}`,
        data: { values: cells },
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { x: x("x"), y, text: { field: "text" }, color: INFEASIBLE_TEXT },
      },
      ...gate,
    ],
  };
}
