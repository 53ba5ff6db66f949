/**
 * The serving knobs as the engine sees them, and their mapping to node-llama-cpp context options.
 */
import type { LlamaContextOptions } from "node-llama-cpp";

export type KvBits = 4 | 8 | null;
/** Which llama.cpp binary: `auto` = the local native build when one exists, else the prebuilt one. */
export type EngineChoice = "auto" | "prebuilt" | "local";
export type FlashAttentionMode = "auto" | "on" | "off";

/** An accelerator llama.cpp can offload to (node-llama-cpp's GPU types). */
export type GpuBackend = "metal" | "cuda" | "vulkan";
/** `--gpu`: `auto` = what node-llama-cpp detects (the CPU where there is none); `off` = no offload. */
export type GpuChoice = "auto" | "off" | GpuBackend;
/** `--gpu-layers`: `auto` = node-llama-cpp's fit to free VRAM, `max` = every layer, N = that many. */
export type GpuLayersChoice = "auto" | "max" | number;

export type EngineKnobs = {
  /** KV cache precision: 8 → Q8_0, 4 → Q4_0 (keys and values), null → F16. */
  kvBits: KvBits;
  /** Tokens of context per sequence. */
  maxContext: number;
  /** Sequences decoded together in one context. */
  maxBatch: number;
  /** CPU threads for evaluation; always explicit. */
  threads: number;
  flashAttention: FlashAttentionMode;
};

const KV_TYPE = { 8: "Q8_0", 4: "Q4_0" } as const;

/**
 * Flash attention actually requested: llama.cpp needs it for a quantized V cache, so quantized KV
 * forces it on whatever the knob says; `auto` otherwise leaves the choice to llama.cpp.
 */
export function effectiveFlashAttention(knobs: Pick<EngineKnobs, "kvBits" | "flashAttention">): "auto" | boolean {
  if (knobs.kvBits !== null) return true;
  return knobs.flashAttention === "auto" ? "auto" : knobs.flashAttention === "on";
}

/** The createContext options for a set of knobs. Pure. */
export function contextOptionsFromKnobs(knobs: EngineKnobs): LlamaContextOptions {
  const kvType = knobs.kvBits === null ? "F16" : KV_TYPE[knobs.kvBits];
  return {
    contextSize: knobs.maxContext,
    sequences: knobs.maxBatch,
    // min = ideal: node-llama-cpp may otherwise lend threads between contexts; we want exactly this.
    threads: { ideal: knobs.threads, min: knobs.threads },
    flashAttention: effectiveFlashAttention(knobs),
    experimentalKvCacheKeyType: kvType,
    experimentalKvCacheValueType: kvType,
    // Fail instead of silently shrinking: the served window is a contract.
    failedCreationRemedy: false,
    // For node-llama-cpp's own dispatch (checkpoint models, Vulkan; the StepLoop builds its batches
    // itself): batch items in priority order, filled greedily; generateTokens gives lower sequence
    // ids higher priority, so a step's batch is in sequence-id order (see DecodeSteps) even when a
    // joining prompt reaches node-llama-cpp's queue after the running streams.
    batching: { itemPrioritizationStrategy: "firstInFirstOut" },
  };
}
