/**
 * What serve would offload and need for these knobs on this engine, with its gpu_layers default
 * (auto: node-llama-cpp's fit to the window in free VRAM): autotune's memory prefilter (PW-3) and its
 * dry run hold candidates to the same GPU-aware estimate serve's preflight uses.
 */
import type { Llama } from "node-llama-cpp";
import type { EngineKnobs, GpuBackend, GpuLayersChoice } from "../engine-knobs.ts";
import { memoryNeed, vramBudgetBytes, type MemoryNeed } from "../offload-memory.ts";
import { gpuFacts } from "./detect-gpu.ts";
import { estimateOffload, modelInsights, resolveGpuLayers } from "./estimate-memory.ts";

export type NeedEstimate = {
  /** null = the CPU. */
  backend: GpuBackend | null;
  gpuLayers: number;
  totalLayers: number;
  need: MemoryNeed;
  /** VRAM free now, less node-llama-cpp's padding; 0 without a GPU. */
  vramBudgetBytes: number;
};

export async function estimateNeed(llama: Llama, modelPath: string, knobs: EngineKnobs, choice: GpuLayersChoice = "auto"): Promise<NeedEstimate> {
  const gpu = await gpuFacts(llama);
  const insights = await modelInsights(llama, modelPath);
  const gpuLayers = await resolveGpuLayers(insights, choice, knobs, gpu, knobs.maxContext * knobs.maxBatch);
  const estimate = await estimateOffload(insights, knobs, gpuLayers);
  return { backend: gpu.backend, gpuLayers, totalLayers: insights.totalLayers, need: memoryNeed(estimate, gpu.vram), vramBudgetBytes: vramBudgetBytes(gpu.vram, gpu.vramPaddingBytes) };
}
