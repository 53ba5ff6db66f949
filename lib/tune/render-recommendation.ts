/** REC-1: the recommendation as a terminal block (kv_bits printed `unset` when unset). */
import type { Stage2Document } from "./stage2-document.ts";

export function renderRecommendation(doc: Pick<Stage2Document, "recommendation" | "infeasible" | "alternates" | "exit_reason" | "recipe_hash" | "search" | "cells">): string {
  const r = doc.recommendation;
  const lines: string[] = [];
  if (r === null) {
    lines.push(`No recommendation (${doc.exit_reason}).`);
    for (const c of doc.cells) lines.push(`  ${c.key}: ${c.summary.reason ?? "feasible"}`);
  } else {
    const k = r.knobs;
    lines.push(
      `Recommended: ${r.model}`,
      `  kv_bits ${k.kv_bits ?? "unset"} · max_batch ${k.max_concurrency_override} · max_context ${k.max_context_override} · threads ${k.threads} · flash_attention ${k.flash_attention} · engine ${k.engine}${k.gpu === null ? "" : ` · gpu ${k.gpu} · gpu_layers ${k.gpu_layers}`}`,
      `  ${r.tps_median} tok/s aggregate (median of ${r.replicates}) · TTFT p95 ${r.ttft_p95_ms ?? "unknown"} ms`,
      `  noise floor ${pct(doc.search.noise_floor)} · tie band ${pct(doc.search.tie_band)} · ${doc.search.cells_measured}/${doc.search.cells_total} cells, ${doc.search.trials} trials (${doc.search.mode})`,
      `  recipe ${doc.recipe_hash}`,
      "",
      `  ${r.serve_command}`,
    );
  }
  if (doc.infeasible.length > 0) lines.push("", `Larger, infeasible: ${doc.infeasible.map((i) => `${i.model} (${i.reason})`).join("; ")}`);
  if (doc.alternates.length > 0) lines.push(`Smaller, untested: ${doc.alternates.join(", ")}`);
  return lines.join("\n");
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}
