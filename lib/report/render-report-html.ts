/**
 * The whole report as one self-contained HTML page: inline CSS and inline SVG charts, no script,
 * nothing fetched, so it opens offline from file://. Every text from the run is escaped here; the
 * chart SVGs come from Vega, which escapes the text it draws.
 */
import type { RunDetail } from "../store/run-store.ts";
import { escapeHtml } from "./escape-html.ts";
import { REPORT_CSS } from "./report-css.ts";
import type { ReportModel } from "./report-model.ts";
import { renderHeadlineSection } from "./render-headline-section.ts";
import { renderRunSection } from "./render-run-section.ts";
import { renderStage1Section } from "./render-stage1-section.ts";
import { renderStage2Section } from "./render-stage2-section.ts";

/** Each chart as an SVG string, or null when there is nothing to plot. */
export type ReportSvgs = { stage1: string | null; stage2Tps: string | null; stage2Ttft: string | null };

/** `detail`: the `runs show --json` document the model was built from, embedded at the end as the page's data. */
export function renderReportHtml(model: ReportModel, svgs: ReportSvgs, detail: RunDetail): string {
  const id = model.run.run_id;
  const title = `${model.headline.ok ? "" : "Failed: "}autotune run ${id}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — macprovider</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${renderHeadlineSection(model)}
${renderStage1Section(model, svgs.stage1)}
${renderStage2Section(model, { tps: svgs.stage2Tps, ttft: svgs.stage2Ttft })}
${renderRunSection(model)}
<details>
<summary>The data: <code>macprovider runs show ${escapeHtml(id)} --json</code></summary>
<pre>${escapeHtml(JSON.stringify(detail, null, 2))}</pre>
</details>
</main>
</body>
</html>
`;
}
