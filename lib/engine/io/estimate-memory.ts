/**
 * Memory a (model, knobs) pair needs before anything is loaded (PW-3), from node-llama-cpp's V2
 * estimators, which run llama.cpp's own simulation (the V1 ones overstate quantized KV 20–30×).
 */
import type { GgufInsights as GgufInsightsType, Llama } from "node-llama-cpp";
import { GgufInsights, readGgufFileInfo } from "./node-llama-cpp.ts";
import { effectiveFlashAttention, type EngineKnobs } from "../engine-knobs.ts";

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

// The file's insights and the weights' estimate do not depend on the knobs: computed once per file,
// so a search over contexts only re-runs the context estimate.
const perFile = new Map<string, Promise<{ insights: GgufInsightsType; modelBytes: number }>>();

function fileEstimate(llama: Llama, modelPath: string) {
  let entry = perFile.get(modelPath);
  if (!entry) {
    entry = (async () => {
      const insights = await GgufInsights.from(await readGgufFileInfo(modelPath, { logWarnings: false }), llama);
      const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
      return { insights, modelBytes: model.cpuRam };
    })();
    entry.catch(() => perFile.delete(modelPath));
    perFile.set(modelPath, entry);
  }
  return entry;
}

export async function estimateMemory(llama: Llama, modelPath: string, knobs: EngineKnobs): Promise<MemoryEstimate> {
  const { insights, modelBytes } = await fileEstimate(llama, modelPath);
  const kvType = knobs.kvBits === null ? 1 : KV_GGML_TYPE[knobs.kvBits]; // 1 = F16
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: knobs.maxContext,
    sequences: knobs.maxBatch,
    modelGpuLayers: 0,
    flashAttention: effectiveFlashAttention(knobs),
    kvCacheKeyType: kvType,
    kvCacheValueType: kvType,
  });
  return {
    modelBytes,
    contextBytes: context.cpuRam,
    totalBytes: modelBytes + context.cpuRam,
    trainContext: insights.trainContextSize ?? null,
  };
}
