/**
 * The top of the report: the headline (recommended, or failed and why), then the recommendation's
 * facts — model, knobs, tok/s, TTFT p95, recipe hash — and the serve command to paste.
 */
import type { StoredRecommendation } from "../store/run-store.ts";
import { escapeHtml } from "./escape-html.ts";
import { htmlFacts } from "./html-facts.ts";
import type { ReportModel } from "./report-model.ts";

/** serve's flag names for the recipe's config keys (REC-1 prints them so). */
const KNOB_NAMES: Record<string, string> = { max_concurrency_override: "max_batch", max_context_override: "max_context" };

export function renderHeadlineSection(model: ReportModel): string {
  const { headline, run } = model;
  const started = escapeHtml(run.started_at);
  return [
    `<header class="headline ${headline.ok ? "ok" : "failed"}">`,
    `<p class="kicker">macprovider autotune · run <code>${escapeHtml(run.run_id)}</code> · started <time>${started}</time></p>`,
    `<h1>${escapeHtml(headline.title)}</h1>`,
    `<p>${escapeHtml(headline.detail)}</p>`,
    `</header>`,
    model.recommendation ? recommendationSection(model.recommendation, run.recipe_hash) : "",
  ].join("\n");
}

/** "kv_bits 8 · max_batch 1 · …": kv_bits null is `unset` (REC-1); other unset knobs are left out. */
export function formatKnobs(knobs: unknown): string {
  if (knobs === null || typeof knobs !== "object") return "-";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(knobs)) {
    if (value === null && key !== "kv_bits") continue;
    parts.push(`${KNOB_NAMES[key] ?? key} ${value ?? "unset"}`);
  }
  return parts.join(" · ");
}

function recommendationSection(rec: StoredRecommendation, recipeHash: string | null): string {
  const num = (v: unknown, digits: number, unit: string) => (typeof v === "number" ? `${v.toFixed(digits)} ${unit}` : null);
  const replicates = typeof rec.replicates === "number" ? ` (median of ${rec.replicates} replicates)` : "";
  const tps = num(rec.tps_median, 1, "tok/s aggregate");
  const facts = htmlFacts([
    ["model", rec.model],
    ["model file", typeof rec.model_path === "string" ? rec.model_path : null],
    ["knobs", formatKnobs(rec.knobs)],
    ["throughput", tps === null ? null : tps + replicates],
    ["TTFT p95", num(rec.ttft_p95_ms, 0, "ms")],
    ["recipe hash", recipeHash],
  ]);
  const command = typeof rec.serve_command === "string" ? `<p class="label">Serve it:</p>\n<pre class="command"><code>${escapeHtml(rec.serve_command)}</code></pre>` : "";
  return `<section id="recommendation">\n<h2>Recommendation</h2>\n${facts}\n${command}\n</section>`;
}
