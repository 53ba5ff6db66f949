/**
 * The report's only style sheet, inlined in the page: system fonts (nothing fetched), readable on
 * screen and in print, status colours matching the charts' (chart-theme.ts).
 */
import { STATUS_COLORS } from "./chart-theme.ts";

const statusRules = Object.entries(STATUS_COLORS)
  .map(([status, color]) => `tr.status-${status} td:first-child { box-shadow: inset 4px 0 0 ${color}; }`)
  .join("\n");

// A style sheet: long, but one declarative value read top to bottom.
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --ok: ${STATUS_COLORS.kept}; --bad: ${STATUS_COLORS.infeasible}; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 4px 0 6px; }
h2 { font-size: 17px; margin: 0 0 10px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
section, header.headline { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 0 0 16px; }
header.headline { border-left: 6px solid var(--ok); }
header.headline.failed { border-left-color: var(--bad); background: #fff8f8; }
header.headline.failed h1 { color: var(--bad); }
.kicker { color: var(--muted); margin: 0; font-size: 12.5px; }
.label { margin: 12px 0 4px; color: var(--muted); }
pre.command { background: #0d1117; color: #e6edf3; padding: 10px 12px; border-radius: 6px; white-space: pre-wrap; word-break: break-all; margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-word; }
figure.chart { margin: 12px 0 16px; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.status-kept td, tr.status-chosen td { background: #eef8f0; font-weight: 600; }
${statusRules}
details pre { max-height: 420px; overflow: auto; background: #f6f8fa; padding: 8px; }
@media print { body { background: white; } section, header.headline { break-inside: avoid; } details pre { max-height: none; } }
`;
