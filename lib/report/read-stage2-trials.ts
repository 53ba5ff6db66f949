/**
 * Stage 2's rows as the report reads them: one view per measured cell (knobs, median aggregate
 * tok/s, TTFT p95, feasibility with its reason, each replicate's tok/s from the notes JSON), and
 * the anchor row's noise floor and tie band.
 */
import type { TrialRecord } from "../store/run-store.ts";

/** The knob columns of a stage-2 row, in the order the report names them. */
export const KNOBS = ["kv_bits", "max_batch", "threads", "flash_attention", "max_context_cap", "engine", "gpu", "gpu_layers"] as const;
export type Knob = (typeof KNOBS)[number];

export type Stage2CellView = {
  id: number;
  /** The cell's stable name, "kv=8 fa=on t=2 b=4 ctx=8192 prebuilt". */
  key: string;
  /** Each knob as text; kv_bits null reads "unset" (REC-1), another unset knob "-". */
  knobs: Record<Knob, string>;
  tps: number | null;
  ttftP95Ms: number | null;
  feasible: boolean;
  kept: boolean;
  reason: string | null;
  /** Each replicate's aggregate tok/s (null: that replicate failed). */
  replicateTps: (number | null)[];
};

export type Stage2Anchor = { key: string; anchorTps: number[]; noiseFloor: number; tieBand: number; search: string };

export function readStage2Trials(trials: readonly TrialRecord[]): { cells: Stage2CellView[]; anchor: Stage2Anchor | null } {
  const cells: Stage2CellView[] = [];
  let anchor: Stage2Anchor | null = null;
  for (const t of [...trials].sort((a, b) => a.id - b.id)) {
    if (t.stage !== 2) continue;
    const notes = parseNotes(t.notes);
    if (typeof notes.anchor === "string") {
      anchor = readAnchor(notes, notes.anchor);
      continue;
    }
    cells.push({
      id: t.id,
      key: typeof notes.cell === "string" ? notes.cell : `trial ${t.id}`,
      knobs: knobText(t),
      tps: t.tps,
      ttftP95Ms: t.ttft_p95_ms,
      feasible: t.fits,
      kept: t.kept,
      reason: typeof notes.reason === "string" ? notes.reason : t.fits ? null : (t.notes ?? "infeasible (no reason recorded)"),
      replicateTps: Array.isArray(notes.tps) ? notes.tps.map((v) => (typeof v === "number" ? v : null)) : [],
    });
  }
  return { cells, anchor };
}

/** The notes JSON of a row; plain text (an older row) reads as no fields. */
function parseNotes(notes: string | null): Record<string, unknown> {
  if (notes === null || !notes.startsWith("{")) return {};
  try {
    const value: unknown = JSON.parse(notes);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function readAnchor(notes: Record<string, unknown>, key: string): Stage2Anchor {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return {
    key,
    anchorTps: Array.isArray(notes.anchor_tps) ? notes.anchor_tps.filter((v): v is number => typeof v === "number") : [],
    noiseFloor: num(notes.noise_floor),
    tieBand: num(notes.tie_band),
    search: typeof notes.search === "string" ? notes.search : "unknown",
  };
}

function knobText(t: TrialRecord): Record<Knob, string> {
  const text = (v: string | number | null) => (v === null ? "-" : String(v));
  return {
    kv_bits: t.kv_bits === null ? "unset" : String(t.kv_bits),
    max_batch: text(t.max_batch),
    threads: text(t.threads),
    flash_attention: text(t.flash_attention),
    max_context_cap: text(t.max_context_cap),
    engine: text(t.engine),
    gpu: text(t.gpu),
    gpu_layers: text(t.gpu_layers),
  };
}
