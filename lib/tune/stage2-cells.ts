/**
 * Stage 2's cells: the cartesian product of the axes in one deterministic order (engine, kv_bits,
 * flash_attention, threads, max_context, max_batch — the cheapest, most conservative settings
 * first, so a full tie keeps the simpler recipe), and the pruning of cells the engine makes equivalent.
 */
import type { EngineChoice, FlashAttentionMode, KvBits } from "../engine/engine-knobs.ts";
import type { Stage2Axes } from "./parse-stage2-axes.ts";

export type Stage2Cell = {
  kv_bits: KvBits;
  max_batch: number;
  max_context: number;
  threads: number;
  flash_attention: FlashAttentionMode;
  engine: Exclude<EngineChoice, "auto">;
};

export function stage2Cells(axes: Stage2Axes): Stage2Cell[] {
  const cells: Stage2Cell[] = [];
  for (const engine of axes.engine)
    for (const kv_bits of axes.kv_bits)
      for (const flash_attention of axes.flash_attention)
        for (const threads of axes.threads)
          for (const max_context of axes.max_context)
            for (const max_batch of axes.max_batch) cells.push({ kv_bits, max_batch, max_context, threads, flash_attention, engine });
  return cells;
}

/** A short stable name: "kv=8 fa=on t=2 b=4 ctx=8192 prebuilt". */
export function cellKey(cell: Stage2Cell): string {
  return `kv=${cell.kv_bits ?? "none"} fa=${cell.flash_attention} t=${cell.threads} b=${cell.max_batch} ctx=${cell.max_context} ${cell.engine}`;
}

/**
 * What llama.cpp actually runs: quantized KV forces flash attention on (a quantized V cache needs
 * it), so with kv_bits 4 or 8 the flash_attention axis changes nothing.
 */
export function effectiveCell(cell: Stage2Cell): Stage2Cell {
  return cell.kv_bits === null ? cell : { ...cell, flash_attention: "on" };
}

/**
 * The cells worth measuring: one per group the engine makes equivalent. The representative is the
 * cell whose own settings are what runs (flash attention on for quantized KV), else the first.
 */
export function distinctCells(cells: readonly Stage2Cell[]): Stage2Cell[] {
  const groups = new Map<string, Stage2Cell[]>();
  for (const cell of cells) {
    const key = cellKey(effectiveCell(cell));
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  return [...groups.values()].map((group) => group.find((c) => cellKey(c) === cellKey(effectiveCell(c))) ?? group[0]!);
}
