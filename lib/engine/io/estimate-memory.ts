/**
 * Memory a (model, knobs, offload) triple needs before anything is loaded (PW-3, serve's context
 * fit), from node-llama-cpp's V2 estimators, which run llama.cpp's own simulation (the V1 ones
 * overstate quantized KV 20–30×); and the layers a `--gpu-layers` choice offloads, by
 * node-llama-cpp's own resolver. The functions over `GgufInsights` take the GPU facts as data, so
 * they run with any VRAM given, GPU or not.
 */
import type { GgufInsights as GgufInsightsType, Llama } from "node-llama-cpp";
import { GgufInsights, InsufficientMemoryError, readGgufFileInfo } from "./node-llama-cpp.ts";
import { effectiveFlashAttention, type EngineKnobs, type GpuLayersChoice } from "../engine-knobs.ts";
import { vramBudgetBytes, type OffloadEstimate } from "../offload-memory.ts";
import type { GpuFacts } from "../gpu-backend.ts";

export type MemoryEstimate = OffloadEstimate & {
  /** Weights and model buffers, in bytes (RAM and VRAM). */
  modelBytes: number;
  /** KV cache and compute buffers of the context, in bytes (RAM and VRAM). */
  contextBytes: number;
  totalBytes: number;
  /** The model's trained context, for capping the served window. */
  trainContext: number | null;
};

const KV_GGML_TYPE = { 8: 8, 4: 2 } as const; // GgmlType.Q8_0, GgmlType.Q4_0
const kvType = (knobs: Pick<EngineKnobs, "kvBits">) => (knobs.kvBits === null ? 1 : KV_GGML_TYPE[knobs.kvBits]); // 1 = F16

// A file's insights do not depend on the knobs: read once per file and engine, so a search over
// contexts only re-runs the estimates (node-llama-cpp caches each simulation by its inputs).
const perFile = new WeakMap<Llama, Map<string, Promise<GgufInsightsType>>>();

export function modelInsights(llama: Llama, modelPath: string): Promise<GgufInsightsType> {
  const files = perFile.get(llama) ?? new Map<string, Promise<GgufInsightsType>>();
  perFile.set(llama, files);
  let entry = files.get(modelPath);
  if (!entry) {
    entry = (async () => GgufInsights.from(await readGgufFileInfo(modelPath, { logWarnings: false }), llama))();
    entry.catch(() => files.delete(modelPath));
    files.set(modelPath, entry);
  }
  return entry;
}

/**
 * Layers the choice puts on the GPU: `max` every one, N at most every one, `auto` node-llama-cpp's
 * fit of layers and context to free VRAM — to `fitContext` tokens (context × sequences) when the
 * served window is known, else its own balance. 0 where nothing can be offloaded.
 */
export async function resolveGpuLayers(insights: GgufInsightsType, choice: GpuLayersChoice, knobs: EngineKnobs, gpu: GpuFacts, fitContext: number | null = null): Promise<number> {
  if (gpu.backend === null || !gpu.supportsOffloading) return 0;
  if (choice === "max") return insights.totalLayers;
  if (typeof choice === "number") return Math.min(choice, insights.totalLayers);
  // What node-llama-cpp's own resolver sees at load: the free VRAM less its padding.
  const vram = { ...gpu.vram, free: vramBudgetBytes(gpu.vram, gpu.vramPaddingBytes) };
  const options = {
    getVramState: async () => vram,
    llamaVramPaddingSize: gpu.vramPaddingBytes,
    llamaGpu: gpu.backend,
    llamaSupportsGpuOffloading: true,
    defaultContextFlashAttention: effectiveFlashAttention(knobs),
    defaultContextKvCacheKeyType: kvType(knobs),
    defaultContextKvCacheValueType: kvType(knobs),
    useMmap: gpu.useMmap,
  };
  const resolve = (option: Parameters<typeof insights.configurationResolver.resolveModelGpuLayersV2>[0]) => insights.configurationResolver.resolveModelGpuLayersV2(option, options);
  if (fitContext === null) return (await resolve("auto")).gpuLayers;
  try {
    return (await resolve({ fitContext: { contextSize: fitContext } })).gpuLayers;
  } catch (error) {
    // No layer count leaves room for that window: node-llama-cpp's plain fit, and the context fit says what does not fit.
    if (!(error instanceof InsufficientMemoryError)) throw error;
    return (await resolve("auto")).gpuLayers;
  }
}

/** RAM and VRAM of the weights and of a context with these knobs, `gpuLayers` offloaded. */
export async function estimateOffload(insights: GgufInsightsType, knobs: EngineKnobs, gpuLayers: number): Promise<OffloadEstimate> {
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: knobs.maxContext,
    sequences: knobs.maxBatch,
    modelGpuLayers: gpuLayers,
    flashAttention: effectiveFlashAttention(knobs),
    kvCacheKeyType: kvType(knobs),
    kvCacheValueType: kvType(knobs),
  });
  return { model: { cpuRam: model.cpuRam, gpuVram: model.gpuVram }, context: { cpuRam: context.cpuRam, gpuVram: context.gpuVram } };
}

/** The estimate for a model file with `gpuLayers` offloaded (0 = all on the CPU). */
export async function estimateMemory(llama: Llama, modelPath: string, knobs: EngineKnobs, gpuLayers = 0): Promise<MemoryEstimate> {
  const insights = await modelInsights(llama, modelPath);
  const split = await estimateOffload(insights, knobs, gpuLayers);
  const modelBytes = split.model.cpuRam + split.model.gpuVram;
  const contextBytes = split.context.cpuRam + split.context.gpuVram;
  return { ...split, modelBytes, contextBytes, totalBytes: modelBytes + contextBytes, trainContext: insights.trainContextSize ?? null };
}
