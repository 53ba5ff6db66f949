/**
 * Memory a (model, knobs) pair needs before anything is loaded (PW-3), from node-llama-cpp's V2
 * estimators, which run llama.cpp's own simulation (the V1 ones overstate quantized KV 20–30×).
 */
import { GgufInsights, readGgufFileInfo, type Llama } from "node-llama-cpp";
import { effectiveFlashAttention, type EngineKnobs } from "./engine-knobs.ts";

export type MemoryEstimate = {
  /** Weights and model buffers, in bytes. */
  modelBytes: number;
  /** KV cache and compute buffers of the context, in bytes. */
  contextBytes: number;
  totalBytes: number;
  /** The model's trained context, for capping the served window. */
  trainContext: number | null;
};

const KV_GGML_TYPE = { 8: 8, 4: 2 } as const; // GgmlType.Q8_0, GgmlType.Q4_0

export async function estimateMemory(llama: Llama, modelPath: string, knobs: EngineKnobs): Promise<MemoryEstimate> {
  const info = await readGgufFileInfo(modelPath, { logWarnings: false });
  const insights = await GgufInsights.from(info, llama);
  const kvType = knobs.kvBits === null ? 1 : KV_GGML_TYPE[knobs.kvBits]; // 1 = F16
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: knobs.maxContext,
    sequences: knobs.maxBatch,
    modelGpuLayers: 0,
    flashAttention: effectiveFlashAttention(knobs),
    kvCacheKeyType: kvType,
    kvCacheValueType: kvType,
  });
  return {
    modelBytes: model.cpuRam,
    contextBytes: context.cpuRam,
    totalBytes: model.cpuRam + context.cpuRam,
    trainContext: insights.trainContextSize ?? null,
  };
}
