/**
 * Stage 2's section: which knobs moved throughput, the tok/s chart with the noise band around the
 * winner, the TTFT chart against the gate, and every measured cell with its figures and reason.
 */
import { escapeHtml } from "./escape-html.ts";
import { htmlTable } from "./html-table.ts";
import type { ReportModel } from "./report-model.ts";
import { KNOB_LABELS } from "./stage2-chart-rows.ts";

export type Stage2Charts = { tps: string | null; ttft: string | null };

export function renderStage2Section(model: ReportModel, charts: Stage2Charts): string {
  if (model.cells.length === 0) {
    return `<section id="stage2">\n<h2>Stage 2 — the knobs</h2>\n<p>No Stage 2 cell was measured in this run.</p>\n</section>`;
  }
  const kept = model.cells.find((c) => c.kept) ?? null;
  const a = model.anchor;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const noise = a === null ? "No anchor row was recorded, so the noise floor is unknown." :
    `Noise floor ${pct(a.noiseFloor)} (twice the anchor cell's coefficient of variation over ${a.anchorTps.length} re-measurements), tie band ${pct(a.tieBand)}, ${escapeHtml(a.search)} search.`;
  const band = kept && a && a.noiseFloor > 0 ? ` The shaded band is the noise floor around the winner's ${kept.tps?.toFixed(1)} tok/s: a bar inside it is not measurably slower.` : "";
  const figures = [
    charts.tps && `<figure class="chart">${charts.tps}<figcaption>Aggregate decode tok/s per cell (bars: median; ticks: each replicate), grouped by the knob that moved it most. Green: kept; red: infeasible, with its reason.${band}</figcaption></figure>`,
    charts.ttft && `<figure class="chart">${charts.ttft}<figcaption>TTFT p95 per cell, same panels, against the ${model.gateTtftMs ?? "?"} ms gate (dashed).</figcaption></figure>`,
  ].filter(Boolean);
  return [
    `<section id="stage2">`,
    `<h2>Stage 2 — the knobs for ${escapeHtml(modelName(model))}</h2>`,
    `<p>${knobsSentence(model)} ${noise}</p>`,
    ...figures,
    cellsTable(model),
    `</section>`,
  ].join("\n");
}

function modelName(model: ReportModel): string {
  return model.recommendation?.model ?? model.candidates.find((c) => c.status === "chosen")?.name ?? "the chosen model";
}

function knobsSentence(model: ReportModel): string {
  const n = model.cells.length;
  if (model.knobs.length === 0) return `${n} cell(s) measured; no knob varied.`;
  const name = (k: (typeof model.knobs)[number]) => `<strong>${escapeHtml(KNOB_LABELS[k.knob])}</strong>`;
  const moved = model.knobs.filter((k) => k.spreadTps > 0).map((k) => `${name(k)} (${k.spreadTps.toFixed(1)} tok/s between its values)`);
  const flat = model.knobs.filter((k) => k.spreadTps === 0).map(name);
  const parts = [moved.length > 0 ? `The knobs that mattered, most first: ${moved.join(", ")}.` : "No knob made a measured difference."];
  if (flat.length > 0) parts.push(`Varied with no measured difference in tok/s: ${flat.join(", ")}.`);
  return `${n} cells measured. ${parts.join(" ")}`;
}

function cellsTable(model: ReportModel): string {
  const rows = model.cells.map((c) => ({
    className: c.kept ? "status-kept" : c.feasible ? "status-feasible" : "status-infeasible",
    cells: [
      c.kept ? "kept" : c.feasible ? "feasible" : "infeasible",
      c.key,
      c.tps === null ? "-" : c.tps.toFixed(1),
      c.replicateTps.map((v) => (v === null ? "failed" : v.toFixed(1))).join(", "),
      c.ttftP95Ms === null ? "-" : `${Math.round(c.ttftP95Ms)} ms`,
      c.reason ?? "",
    ],
  }));
  return htmlTable(["cell", "knobs", "tok/s (median)", "replicates tok/s", "TTFT p95", "reason"], rows, [2, 4]);
}
