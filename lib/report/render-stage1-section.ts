/**
 * Stage 1's section: every candidate in walk order with its status, the chart of TTFT p95 against
 * the gate, and a table with each candidate's figures and reason.
 */
import { escapeHtml } from "./escape-html.ts";
import { formatDuration } from "./format-duration.ts";
import { htmlTable } from "./html-table.ts";
import type { ReportModel } from "./report-model.ts";
import { STATUS_LABELS } from "./stage1-candidates.ts";

export function renderStage1Section(model: ReportModel, chartSvg: string | null): string {
  const gate = model.gateTtftMs === null ? "the TTFT gate" : `the ${model.gateTtftMs} ms TTFT gate`;
  const intro =
    `Candidates in walk order (the catalog lists them largest first, or <code>--candidate-models</code> gives the order). ` +
    `The walk stops at the first feasible one — ready, every replicate ok, TTFT p95 within ${escapeHtml(gate)} — so the biggest that fits is chosen, not the fastest.`;
  const rows = model.candidates.map((c) => ({
    className: `status-${c.status}`,
    cells: [
      c.rank === null ? "-" : String(c.rank),
      c.name,
      STATUS_LABELS[c.status],
      c.ttftP95Ms === null ? "-" : `${Math.round(c.ttftP95Ms)} ms`,
      c.tps === null ? "-" : c.tps.toFixed(1),
      formatDuration(c.loadMs),
      c.reason ?? "",
    ],
  }));
  const table = rows.length === 0 ? "<p>No candidates recorded.</p>" : htmlTable(["#", "candidate", "status", "TTFT p95", "decode tok/s", "load", "reason / measured"], rows, [0, 3, 4, 5]);
  const chart = chartSvg === null ? "" : `<figure class="chart">${chartSvg}<figcaption>TTFT p95 of each probe (one stream, max_batch 1) against ${escapeHtml(gate)} (dashed).</figcaption></figure>`;
  return `<section id="stage1">\n<h2>Stage 1 — the biggest feasible model</h2>\n<p>${intro}</p>\n${chart}\n${table}\n</section>`;
}
