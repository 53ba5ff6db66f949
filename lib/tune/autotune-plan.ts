/**
 * ERR-3: what an autotune run would do, for `--dry-run` — the candidates in walk order with their
 * memory estimates (when the file is already local), the axes and the cells the default search
 * starts with. Pure: the facts about each candidate are gathered by the caller.
 */
import { memoryShortfall } from "../engine/offload-memory.ts";
import type { Stage2Axes } from "./parse-stage2-axes.ts";
import { cellKey, distinctCells, stage2Cells } from "./stage2-cells.ts";
import type { CatalogCandidate } from "./tune-documents.ts";

/**
 * What is known about a candidate without downloading, generating or loading anything: the RAM it
 * needs at the target context and, with a GPU, the VRAM serve's default offload takes and the VRAM free.
 */
export type CandidateFacts = { localPath: string | null; estimateBytes: number | null; vram?: { bytes: number; budgetBytes: number } };

export type PlanCandidate = {
  name: string; model: string; size_b: number; local_path: string | null; estimate_bytes: number | null;
  estimate_vram_bytes?: number; verdict: "fits" | "too_big" | "unknown until made local";
};

export type AutotunePlan = {
  dry_run: true;
  catalog: string;
  target_context: number;
  gate_ttft_ms: number;
  memory_budget_bytes: number;
  candidates: PlanCandidate[];
  axes: Stage2Axes;
  /** The cells the default search measures in its first round, in order. */
  cells: string[];
  cells_exhaustive: number;
  stages: string[];
};

export type PlanInputs = { catalog: string; targetContext: number; gateTtftMs: number; memoryBudgetBytes: number; walk: readonly CatalogCandidate[]; facts: readonly CandidateFacts[]; axes: Stage2Axes; apply: boolean };

export function autotunePlan(p: PlanInputs): AutotunePlan {
  const all = stage2Cells(p.axes);
  return {
    dry_run: true,
    catalog: p.catalog,
    target_context: p.targetContext,
    gate_ttft_ms: p.gateTtftMs,
    memory_budget_bytes: p.memoryBudgetBytes,
    candidates: p.walk.map((c, i) => {
      const f = p.facts[i]!;
      const vram = f.vram ?? { bytes: 0, budgetBytes: 0 };
      const short = f.estimateBytes === null ? null : memoryShortfall({ ramBytes: f.estimateBytes, vramBytes: vram.bytes }, { ramBudgetBytes: p.memoryBudgetBytes, vramBudgetBytes: vram.budgetBytes });
      const verdict = f.estimateBytes === null ? "unknown until made local" : short ? "too_big" : "fits";
      return { name: c.name, model: c.model, size_b: c.size_b, local_path: f.localPath, estimate_bytes: f.estimateBytes, ...(f.vram ? { estimate_vram_bytes: f.vram.bytes } : {}), verdict };
    }),
    axes: p.axes,
    cells: distinctCells(all).map(cellKey),
    cells_exhaustive: all.length,
    stages: ["prewarm", "stage1", "stage2", ...(p.apply ? ["apply"] : [])],
  };
}

export function renderPlan(plan: AutotunePlan): string {
  const gib = (b: number | null) => (b === null ? "?" : `${(b / 2 ** 30).toFixed(2)} GiB`);
  return [
    `Dry run: nothing is started, downloaded, written or recorded.`,
    `Candidates (${plan.catalog}, walked in this order; budget ${gib(plan.memory_budget_bytes)} at context ${plan.target_context}):`,
    ...plan.candidates.map((c, i) => `  ${i + 1}. ${c.name} (${c.size_b} B) ${c.model} — ${gib(c.estimate_bytes)}${c.estimate_vram_bytes === undefined ? "" : ` + ${gib(c.estimate_vram_bytes)} VRAM`}, ${c.verdict}`),
    `Stage 1 gate: TTFT p95 ≤ ${plan.gate_ttft_ms} ms. Stage 2: ${plan.cells.length} cells first (${plan.cells_exhaustive} with --exhaustive):`,
    ...plan.cells.map((c) => `  ${c}`),
    `Stages: ${plan.stages.join(" → ")}`,
  ].join("\n");
}
