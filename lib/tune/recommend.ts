/** A winning cell as the recipe: the owned config knobs, the serve command to paste, the REC-2 entry. */
import type { Stage2Cell } from "./stage2-cells.ts";
import type { Recommendation, RecipeKnobs } from "./stage2-document.ts";
import type { CellSummary } from "./stage2-summary.ts";

export function recipeKnobs(cell: Stage2Cell): RecipeKnobs {
  return {
    kv_bits: cell.kv_bits,
    max_concurrency_override: cell.max_batch,
    max_context_override: cell.max_context,
    threads: cell.threads,
    flash_attention: cell.flash_attention,
    engine: cell.engine,
    gpu: cell.gpu ?? null,
    gpu_layers: cell.gpu_layers ?? null,
  };
}

/** `macprovider serve …` with every knob of the recipe spelled out (kv_bits, gpu and gpu_layers left out when unset). */
export function serveCommand(modelPath: string, k: RecipeKnobs): string {
  const quote = (s: string) => (/^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
  return [
    "macprovider serve", `--model ${quote(modelPath)}`,
    ...(k.kv_bits === null ? [] : [`--kv-bits ${k.kv_bits}`]),
    `--max-context ${k.max_context_override}`, `--max-batch ${k.max_concurrency_override}`, `--threads ${k.threads}`,
    `--flash-attention ${k.flash_attention}`, `--engine ${k.engine}`,
    ...(k.gpu === null ? [] : [`--gpu ${k.gpu}`]),
    ...(k.gpu_layers === null ? [] : [`--gpu-layers ${k.gpu_layers}`]),
  ].join(" ");
}

export function recommendation(model: { name: string; path: string }, targetContext: number, cell: Stage2Cell, summary: CellSummary): Recommendation {
  const knobs = recipeKnobs(cell);
  return {
    model: model.name,
    model_path: model.path,
    target_context: targetContext,
    knobs,
    tps_median: Math.round(summary.tps_median! * 10) / 10,
    ttft_p95_ms: summary.ttft_p95_ms === null ? null : Math.round(summary.ttft_p95_ms),
    replicates: summary.replicates,
    serve_command: serveCommand(model.path, knobs),
  };
}
