/**
 * The look every chart of the report shares: status colours (the same in the charts, legends and
 * the page's CSS), fonts that need nothing fetched, and a white background for file:// and print.
 */
import type { Config } from "vega-lite";
import type { CandidateStatus } from "./stage1-candidates.ts";

export const STATUS_COLORS: Record<CandidateStatus | "kept" | "feasible", string> = {
  chosen: "#1a7f37",
  kept: "#1a7f37",
  feasible: "#4c78a8",
  infeasible: "#cf222e",
  integrity: "#82071e",
  transient: "#bf8700",
  too_big: "#9a6700",
  skipped: "#8c959f",
  untested: "#c8ced6",
  not_reached: "#c8ced6",
};

/** The noise band and the gate line. */
export const BAND_COLOR = "#1a7f37";
export const GATE_COLOR = "#57606a";

/** A cell label's colour: red for an infeasible cell (the only mark of one whose replicates all failed). */
export const INFEASIBLE_TEXT = { condition: { test: "datum.infeasible", value: STATUS_COLORS.infeasible }, value: "#24292f" };

/** System fonts only: nothing is fetched, and Vega's headless text measure falls back to estimates. */
export const CHART_CONFIG: Config = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  background: "white",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", titleColor: "#57606a", gridColor: "#eaeef2" },
  header: { labelFontSize: 12, labelFontWeight: "bold", titleFontSize: 11, titleFontWeight: "normal", titleColor: "#57606a" },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: "top" },
};
