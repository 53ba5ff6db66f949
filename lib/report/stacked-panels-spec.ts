/**
 * The frame both Stage 2 charts share: one panel per group of cells, stacked, with a shared x scale
 * and one colour legend for the cell statuses present. Each chart supplies its panel.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, STATUS_COLORS } from "./chart-theme.ts";
import { CELL_STATUS_LABELS, stage2Panels, type CellStatus, type Stage2ChartRow } from "./stage2-chart-rows.ts";

export type PanelBuilder = (group: string, rows: readonly Stage2ChartRow[], i: number, frame: { color: object; last: boolean }) => object;

export function stackedPanelsSpec(rows: readonly Stage2ChartRow[], panel: PanelBuilder): TopLevelSpec {
  const statuses: CellStatus[] = (["kept", "feasible", "infeasible"] as const).filter((s) => rows.some((r) => r.status === s));
  const color = { field: "statusLabel", type: "nominal", title: "cell", scale: { domain: statuses.map((s) => CELL_STATUS_LABELS[s]), range: statuses.map((s) => STATUS_COLORS[s]) } };
  const panels = stage2Panels(rows);
  return {
    config: CHART_CONFIG,
    spacing: 14,
    resolve: { scale: { x: "shared", y: "independent", color: "shared" } },
    vconcat: panels.map((p, i) => panel(p.group, p.rows, i, { color, last: i === panels.length - 1 })),
  } as TopLevelSpec; // Vega-Lite's types want literal mark types throughout; test/standalone/report compiles every spec and fails on any warning.
}
