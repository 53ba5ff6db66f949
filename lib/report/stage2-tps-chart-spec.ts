/**
 * Stage 2's throughput as a Vega-Lite chart: a bar per cell (median aggregate decode tok/s) in a
 * panel per value of the knob that mattered most, a tick per replicate, the kept cell in green,
 * infeasible cells in red with their reason, and the noise floor as a band around the winner.
 * Panels are concatenated rather than faceted: a facet with per-panel rows needs independent y
 * scales, which Vega-Lite cannot union over layers that draw different rows.
 */
import type { TopLevelSpec } from "vega-lite";
import { BAND_COLOR, INFEASIBLE_TEXT } from "./chart-theme.ts";
import { stackedPanelsSpec } from "./stacked-panels-spec.ts";
import { CELL_STATUS_LABELS, type Stage2ChartRow } from "./stage2-chart-rows.ts";

/** Mark names; each panel's marks get the panel's index appended (`cell_bars_0`). */
export const STAGE2_TPS_MARKS = { bars: "cell_bars", ticks: "replicate_ticks", labels: "cell_labels", band: "noise_band" } as const;

/** `noiseFloor`: relative (0.06 = ±6 %); the band is drawn only with a winner and a floor above 0. */
export type TpsChartOptions = { winnerTps: number | null; noiseFloor: number | null };

type Band = { lo: number; hi: number };

export function stage2TpsChartSpec(rows: readonly Stage2ChartRow[], o: TpsChartOptions): TopLevelSpec {
  const band = o.winnerTps !== null && o.noiseFloor !== null && o.noiseFloor > 0 ? { lo: o.winnerTps * (1 - o.noiseFloor), hi: o.winnerTps * (1 + o.noiseFloor) } : null;
  const xMax = Math.max(1, band?.hi ?? 0, ...rows.flatMap((r) => [r.tps ?? 0, ...r.reps])) * 1.08;
  return stackedPanelsSpec(rows, (group, panelRows, i, frame) => panelSpec(group, panelRows, i, { xMax, band, ...frame }));
}

type PanelOptions = { xMax: number; band: Band | null; color: object; last: boolean };

// A spec table: long, but one declarative value read top to bottom.
function panelSpec(group: string, rows: readonly Stage2ChartRow[], i: number, o: PanelOptions) {
  const title = o.last ? "aggregate decode tok/s (bar: median of replicates; ticks: each replicate)" : null;
  const x = (field: string) => ({ field, type: "quantitative", title, scale: { domain: [0, o.xMax], nice: false }, axis: o.last ? {} : { labels: false, ticks: false, domain: false } });
  const y = { field: "label", type: "nominal", sort: { field: "order", op: "min" }, title: null, axis: { labelLimit: 220 } };
  const cells = rows.map((r) => ({ label: r.label, order: r.order, infeasible: r.status === "infeasible", tps: r.tps, xLabel: Math.max(r.tps ?? 0, ...r.reps), statusLabel: CELL_STATUS_LABELS[r.status], text: cellText(r) }));
  const reps = rows.flatMap((r) => r.reps.map((rep) => ({ label: r.label, order: r.order, rep })));
  const band = o.band === null ? [] : [
    { name: `${STAGE2_TPS_MARKS.band}_${i}`, data: { values: [o.band] }, mark: { type: "rect", color: BAND_COLOR, opacity: 0.14 }, encoding: { x: x("lo"), x2: { field: "hi" } } },
  ];
  return {
    title: { text: group, anchor: "start", fontSize: 12 },
    width: 480,
    height: { step: 22 },
    layer: [
      ...band,
      {
        name: `${STAGE2_TPS_MARKS.bars}_${i}`,
        data: { values: cells.filter((c) => c.tps !== null) },
        mark: { type: "bar", height: 14 },
        encoding: { x: x("tps"), y, color: o.color, description: { field: "text" } },
      },
      { name: `${STAGE2_TPS_MARKS.ticks}_${i}`, data: { values: reps }, mark: { type: "tick", color: "#24292f", thickness: 1.5, size: 14, opacity: 0.7 }, encoding: { x: x("rep"), y } },
      {
        name: `${STAGE2_TPS_MARKS.labels}_${i}`,
        data: { values: cells },
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, limit: 300 },
        encoding: { x: x("xLabel"), y, text: { field: "text" }, color: INFEASIBLE_TEXT },
      },
    ],
  };
}

function cellText(r: Stage2ChartRow): string {
  const tps = r.tps === null ? "" : r.tps.toFixed(1);
  if (r.status === "kept") return `${tps} · kept`;
  if (r.status === "feasible") return tps;
  return `${tps ? `${tps} · ` : ""}infeasible: ${r.reason ?? "no reason recorded"}`;
}
