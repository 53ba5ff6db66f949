/**
 * Memory truth with an offload: what a model and its context take in RAM and in VRAM, from
 * node-llama-cpp's estimates as plain numbers, against what the machine has. On unified memory
 * (Apple silicon) the VRAM is system RAM: it is counted once, in RAM, and still has to fit the
 * GPU's working set. Pure.
 */

/** Bytes on each side of the offload, as node-llama-cpp's V2 estimators split them. */
export type ResourceSplit = { cpuRam: number; gpuVram: number };

/** What the weights and a context take with a given number of layers offloaded. */
export type OffloadEstimate = { model: ResourceSplit; context: ResourceSplit };

/** `llama.getVramState()`: `unifiedSize` is the part of the VRAM that is system RAM (all of it on Apple silicon). */
export type VramState = { total: number; free: number; unifiedSize: number };

export type MemoryPools = {
  /** RAM the weights and context may take: 85 % of total RAM (serve), or `--memory-budget` (autotune). */
  ramBudgetBytes: number;
  /** VRAM free before loading, less node-llama-cpp's padding (see vramBudgetBytes); 0 without a GPU. */
  vramBudgetBytes: number;
};

/** Bytes needed in each pool; VRAM that is system RAM is in both figures (it must fit both). */
export type MemoryNeed = { ramBytes: number; vramBytes: number };

export type Shortfall = { pool: "RAM" | "VRAM"; needBytes: number; budgetBytes: number };

/**
 * The part of `vramBytes` taken from system RAM: node-llama-cpp's own rule
 * (getRamUsageFromUnifiedVram) — VRAM that is not unified is used first.
 */
export function unifiedRamBytes(vramBytes: number, vram: VramState): number {
  const onlyVram = vram.total - vram.unifiedSize;
  const used = Math.max(0, vram.total - vram.free);
  return Math.min(vram.unifiedSize, Math.max(0, vramBytes - Math.max(0, onlyVram - used)));
}

export function memoryNeed(estimate: OffloadEstimate, vram: VramState): MemoryNeed {
  const vramBytes = estimate.model.gpuVram + estimate.context.gpuVram;
  const cpuBytes = estimate.model.cpuRam + estimate.context.cpuRam;
  return { ramBytes: cpuBytes + unifiedRamBytes(vramBytes, vram), vramBytes };
}

/** VRAM a model may take: what is free now, less the padding node-llama-cpp keeps for itself. */
export function vramBudgetBytes(vram: VramState, paddingBytes: number): number {
  return Math.max(0, vram.free - paddingBytes);
}

/** The pool the need does not fit, VRAM first (fewer layers moves bytes from it to RAM), or null. */
export function memoryShortfall(need: MemoryNeed, pools: MemoryPools): Shortfall | null {
  if (need.vramBytes > pools.vramBudgetBytes) return { pool: "VRAM", needBytes: need.vramBytes, budgetBytes: pools.vramBudgetBytes };
  if (need.ramBytes > pools.ramBudgetBytes) return { pool: "RAM", needBytes: need.ramBytes, budgetBytes: pools.ramBudgetBytes };
  return null;
}

/** "1.25 GiB", or "312 MiB" under a GiB. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
