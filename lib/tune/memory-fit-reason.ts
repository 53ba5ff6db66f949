/**
 * PW-3: a candidate whose estimated memory at the target context does not fit the budget is skipped
 * (too_big) before anything loads. With a GPU the need is split as serve would offload it: VRAM
 * against the free VRAM, RAM (unified memory counted once) against the memory budget. Returns the
 * one-line reason, or null when it fits.
 */
import { formatBytes, memoryShortfall, type MemoryNeed, type MemoryPools } from "../engine/offload-memory.ts";

/** Layers offloaded out of the total, when a GPU is open. */
export type OffloadLayers = { gpuLayers: number; totalLayers: number } | null;

export function memoryFitReason(need: MemoryNeed, pools: MemoryPools, targetContext: number, offload: OffloadLayers = null): string | null {
  const short = memoryShortfall(need, pools);
  if (short === null) return null;
  const settings = `F16 KV, batch 1${offload === null ? "" : `, ${offload.gpuLayers}/${offload.totalLayers} layers on the GPU`}`;
  const what = short.pool === "VRAM" ? " of VRAM" : "";
  const budget = short.pool === "VRAM" ? "the VRAM budget" : "the memory budget";
  return `needs an estimated ${formatBytes(short.needBytes)}${what} at context ${targetContext} (${settings}), over ${budget} of ${formatBytes(short.budgetBytes)}`;
}
