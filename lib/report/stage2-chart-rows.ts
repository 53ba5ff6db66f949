/**
 * The rows both Stage 2 charts plot: one per measured cell, grouped by the knob that moved tok/s
 * most and labelled by the other knobs that varied, in the order the cells were measured.
 */
import type { KnobRank } from "./rank-knobs.ts";
import type { Knob, Stage2CellView } from "./read-stage2-trials.ts";

export type CellStatus = "kept" | "feasible" | "infeasible";

export type Stage2ChartRow = {
  /** The panel: "kv_bits 8" (the knob that mattered most); one panel when one knob varied; the cell key when none did. */
  group: string;
  /** The bar: the other varying knobs, "max_batch 2 · threads 1"; the one knob's value; else max_batch. */
  label: string;
  order: number;
  status: CellStatus;
  tps: number | null;
  ttft: number | null;
  /** Replicate tok/s, for the ticks over each bar. */
  reps: number[];
  reason: string | null;
};

export const CELL_STATUS_LABELS: Record<CellStatus, string> = { kept: "kept (the winner)", feasible: "feasible", infeasible: "infeasible" };

export const KNOB_LABELS: Record<Knob, string> = {
  kv_bits: "kv_bits",
  max_batch: "max_batch",
  threads: "threads",
  flash_attention: "flash_attention",
  max_context_cap: "max_context",
  engine: "engine",
  gpu: "gpu",
  gpu_layers: "gpu_layers",
};

export function stage2ChartRows(cells: readonly Stage2CellView[], knobs: readonly KnobRank[]): Stage2ChartRow[] {
  const ranked = knobs.map((k) => k.knob);
  const text = (c: Stage2CellView, k: Knob) => `${KNOB_LABELS[k]} ${c.knobs[k]}`;
  // Panels by the top knob need a second knob to label bars; with one knob, one panel; with none (one cell), the cell.
  const group = (c: Stage2CellView) => (ranked.length >= 2 ? text(c, ranked[0]!) : ranked.length === 1 ? `by ${KNOB_LABELS[ranked[0]!]}, the only knob that varied` : c.key);
  const labelKnobs: Knob[] = ranked.length >= 2 ? ranked.slice(1) : [ranked[0] ?? "max_batch"];
  return cells.map((c, order) => ({
    group: group(c),
    label: labelKnobs.map((k) => text(c, k)).join(" · "),
    order,
    status: c.kept ? "kept" : c.feasible ? "feasible" : "infeasible",
    tps: c.tps,
    ttft: c.ttftP95Ms,
    reps: c.replicateTps.filter((v): v is number => v !== null),
    reason: c.reason,
  }));
}

/** The rows split into panels, one per group, in the order the groups were first measured. */
export function stage2Panels(rows: readonly Stage2ChartRow[]): { group: string; rows: Stage2ChartRow[] }[] {
  const panels = new Map<string, Stage2ChartRow[]>();
  for (const row of rows) panels.set(row.group, [...(panels.get(row.group) ?? []), row]);
  return [...panels].map(([group, panelRows]) => ({ group, rows: panelRows }));
}
