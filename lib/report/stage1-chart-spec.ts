/**
 * Stage 1 as a Vega-Lite chart: one row per candidate in walk order, its TTFT p95 as a bar coloured
 * by status, the gate as a dashed line, and each candidate's status written beside its bar (a
 * candidate never probed has no bar, only its status). Marks are named so a test can count them.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, GATE_COLOR, STATUS_COLORS } from "./chart-theme.ts";
import { STATUS_LABELS, type CandidateStatus, type CandidateView } from "./stage1-candidates.ts";

export const STAGE1_MARKS = { bars: "stage1_bars", labels: "stage1_labels", gate: "stage1_gate", gateLabel: "stage1_gate_label" } as const;

const ORDER: CandidateStatus[] = ["chosen", "infeasible", "integrity", "transient", "too_big", "skipped", "untested", "not_reached"];

// A spec table: long, but one declarative value read top to bottom.
export function stage1ChartSpec(candidates: readonly CandidateView[], gateTtftMs: number | null): TopLevelSpec {
  const rows = candidates.map((c, i) => ({
    row: `${c.rank ?? "-"}. ${c.name}`,
    order: i,
    status: STATUS_LABELS[c.status],
    ttft: c.ttftP95Ms,
    x: c.ttftP95Ms ?? 0,
    text: barText(c),
  }));
  const xMax = Math.max(1, gateTtftMs ?? 0, ...rows.map((r) => r.ttft ?? 0)) * 1.1;
  const y = { field: "row", type: "nominal", sort: { field: "order", op: "min" }, title: null, axis: { labelLimit: 160 } } as const;
  const x = { field: "x", type: "quantitative", title: "TTFT p95 (ms), probe at max_batch 1", scale: { domain: [0, xMax], nice: false } } as const;
  const used = ORDER.filter((s) => candidates.some((c) => c.status === s));
  const gateData = { values: [{ gate: gateTtftMs, label: `gate ${gateTtftMs} ms` }] };
  const gateX = { field: "gate", type: "quantitative" } as const;
  const gate = gateTtftMs === null ? [] : [
    { name: STAGE1_MARKS.gate, data: gateData, mark: { type: "rule", color: GATE_COLOR, strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x: gateX } },
    { name: STAGE1_MARKS.gateLabel, data: gateData, mark: { type: "text", color: GATE_COLOR, align: "center", baseline: "bottom", y: -3, fontSize: 10 }, encoding: { x: gateX, text: { field: "label" } } },
  ];
  return {
    config: CHART_CONFIG,
    width: 560,
    height: { step: 24 },
    data: { values: rows },
    layer: [
      {
        name: STAGE1_MARKS.bars,
        transform: [{ filter: "datum.ttft != null" }],
        mark: { type: "bar", height: 14 },
        encoding: {
          x,
          y,
          color: { field: "status", type: "nominal", title: "status", scale: { domain: used.map((s) => STATUS_LABELS[s]), range: used.map((s) => STATUS_COLORS[s]) } },
          description: { field: "text" },
        },
      },
      {
        name: STAGE1_MARKS.labels,
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#24292f", limit: 420 },
        encoding: { x, y, text: { field: "text" } },
      },
      ...gate,
    ],
  } as TopLevelSpec; // Vega-Lite's types want literal mark types throughout; test/standalone/report compiles every spec and fails on any warning.
}

/** Beside the bar: the status and TTFT; a failure without a TTFT gives its reason ("no first token within 6000 ms"). */
function barText(c: CandidateView): string {
  const status = STATUS_LABELS[c.status];
  if (c.ttftP95Ms !== null) return `${status} · ${Math.round(c.ttftP95Ms)} ms`;
  const failed = c.status === "infeasible" || c.status === "integrity" || c.status === "transient" || c.status === "too_big";
  return failed && c.reason ? `${status}: ${c.reason}` : status;
}
