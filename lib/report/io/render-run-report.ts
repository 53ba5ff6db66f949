/**
 * The HTML report of one run (DB-4 `runs show ID --html`, `runs report`): the model and chart specs
 * built by the pure modules, the charts drawn to SVG by Vega, the page assembled.
 */
import type { RunDetail } from "../../store/run-store.ts";
import { renderReportHtml } from "../render-report-html.ts";
import { reportChartSpecs } from "../report-chart-specs.ts";
import { buildReportModel } from "../report-model.ts";
import { renderVegaSvg } from "./render-vega-svg.ts";

/** `detail`: the `runs show --json` document. Returns the page's HTML. */
export async function renderRunReport(detail: RunDetail): Promise<string> {
  const model = buildReportModel(detail);
  const specs = reportChartSpecs(model);
  const draw = (spec: (typeof specs)[keyof typeof specs]) => (spec === null ? Promise.resolve(null) : renderVegaSvg(spec));
  const [stage1, stage2Tps, stage2Ttft] = await Promise.all([draw(specs.stage1), draw(specs.stage2Tps), draw(specs.stage2Ttft)]);
  return renderReportHtml(model, { stage1, stage2Tps, stage2Ttft }, detail);
}
