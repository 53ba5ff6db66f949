/**
 * The served window with an offload: `fitMaxContext` held to each memory pool the knobs use — RAM
 * always, VRAM when a GPU is open — and the smaller fit wins (both needs grow with the context, so
 * the largest window that fits both is the smaller of the two largest). A window that fits nowhere
 * names the pool.
 */
import type { MemoryNeed, MemoryPools } from "../engine/offload-memory.ts";
import { ContextFitError, fitMaxContext, type FitInputs } from "./fit-max-context.ts";

export type OffloadFitInputs = Pick<FitInputs, "requested" | "tierDefault" | "trainContext"> & {
  pools: MemoryPools;
  /** Whether a GPU is open: its VRAM is a second pool (and messages name the pool). */
  gpu: boolean;
  /** RAM and VRAM the knobs need at a given context; both monotonic in context. */
  needAt: (context: number) => Promise<MemoryNeed>;
};

export type OffloadFit = { context: number; cappedBy: "trained_context" | "memory" | "vram" | null };

export async function fitOffloadContext(inputs: OffloadFitInputs): Promise<OffloadFit> {
  const { pools, gpu, needAt, ...base } = inputs;
  const ram = await inPool(gpu ? "RAM" : null, () => fitMaxContext({ ...base, memoryBudgetBytes: pools.ramBudgetBytes, estimateBytes: async (c) => (await needAt(c)).ramBytes }));
  if (!gpu) return ram;
  const vram = await inPool("VRAM", () => fitMaxContext({ ...base, memoryBudgetBytes: pools.vramBudgetBytes, estimateBytes: async (c) => (await needAt(c)).vramBytes }));
  return vram.context < ram.context ? { context: vram.context, cappedBy: "vram" } : ram;
}

async function inPool<T>(pool: "RAM" | "VRAM" | null, fit: () => Promise<T>): Promise<T> {
  try {
    return await fit();
  } catch (error) {
    if (!(error instanceof ContextFitError) || pool === null || !error.message.includes("the memory budget")) throw error;
    const hint = pool === "VRAM" ? "; fewer --gpu-layers leave more VRAM for the context" : "";
    throw new ContextFitError(`${pool}: ${error.message.replace("the memory budget", `the ${pool} budget`)}${hint}`);
  }
}
