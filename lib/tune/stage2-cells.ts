/**
 * Stage 2's cells: the cartesian product of the axes in one deterministic order (engine,
 * gpu_layers, kv_bits, flash_attention, threads, max_context, max_batch — the cheapest, most
 * conservative settings first, so a full tie keeps the simpler recipe), and the pruning of cells
 * the engine makes equivalent. On a full offload (gpu_layers max) the threads axis is pruned to its
 * largest count: the CPU threads barely matter when every layer runs on the GPU.
 */
import type { EngineChoice, FlashAttentionMode, GpuBackend, GpuLayersChoice, KvBits } from "../engine/engine-knobs.ts";
import type { Stage2Axes } from "./parse-stage2-axes.ts";

export type Stage2Cell = {
  kv_bits: KvBits;
  max_batch: number;
  max_context: number;
  threads: number;
  flash_attention: FlashAttentionMode;
  engine: Exclude<EngineChoice, "auto">;
  /** Present on a machine with a GPU only (the axes' backend and one gpu_layers value). */
  gpu?: GpuBackend;
  gpu_layers?: GpuLayersChoice;
};

export function stage2Cells(axes: Stage2Axes): Stage2Cell[] {
  const cells: Stage2Cell[] = [];
  const offloads = axes.gpu === undefined ? [{}] : (axes.gpu_layers ?? ["max"]).map((gpu_layers) => ({ gpu: axes.gpu, gpu_layers }));
  for (const engine of axes.engine)
    for (const offload of offloads)
      for (const kv_bits of axes.kv_bits)
        for (const flash_attention of axes.flash_attention)
          for (const threads of threadsFor(axes.threads, offload))
            for (const max_context of axes.max_context)
              for (const max_batch of axes.max_batch) cells.push({ kv_bits, max_batch, max_context, threads, flash_attention, engine, ...offload });
  return cells;
}

function threadsFor(threads: readonly number[], offload: Pick<Stage2Cell, "gpu_layers">): readonly number[] {
  return offload.gpu_layers === "max" ? [Math.max(...threads)] : threads;
}

/** A short stable name: "kv=8 fa=on t=2 b=4 ctx=8192 prebuilt", plus " cuda gl=max" with a GPU. */
export function cellKey(cell: Stage2Cell): string {
  const gpu = cell.gpu === undefined ? "" : ` ${cell.gpu} gl=${cell.gpu_layers}`;
  return `kv=${cell.kv_bits ?? "none"} fa=${cell.flash_attention} t=${cell.threads} b=${cell.max_batch} ctx=${cell.max_context} ${cell.engine}${gpu}`;
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
