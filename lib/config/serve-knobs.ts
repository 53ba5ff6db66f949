/**
 * The table of serve knobs (SRV-3): CLI flag, env name, YAML key, default and parser of each. The
 * parsers take the raw value (a CLI/env string or a YAML value) and throw a message naming what is
 * allowed; `resolveServeConfig` adds the knob, value and source.
 */
import type { EngineChoice, FlashAttentionMode, GpuChoice, GpuLayersChoice, KvBits } from "../engine/engine-knobs.ts";
import { enumKnob, GPU_LAYERS_ALLOWED, gpuLayers, integer, nonEmptyString, orNull } from "./knob-parsers.ts";

export type ServeSettings = {
  model: string | null;
  kvBits: KvBits;
  /** null = the RAM tier's default, capped later by the model and memory. */
  maxContext: number | null;
  maxBatch: number;
  /** null = the machine's physical cores. */
  threads: number | null;
  flashAttention: FlashAttentionMode;
  engine: EngineChoice;
  gpu: GpuChoice;
  gpuLayers: GpuLayersChoice;
  host: string;
  port: number;
  apiKey: string | null;
  maxQueue: number;
  graceMs: number;
};

export type KnobName = keyof ServeSettings;

export type KnobDef<K extends KnobName = KnobName> = {
  name: K;
  flag: string;
  env: string;
  yaml: string;
  default: ServeSettings[K];
  /** Shown in --help and errors. */
  allowed: string;
  /**
   * An empty env value is a value (which `parse` refuses), not "unset". For api_key: an operator
   * who set the variable meant auth, and an empty one must not silently turn it off.
   */
  keepEmptyEnv?: true;
  description: string;
  parse(raw: unknown): ServeSettings[K];
};

const knob = <K extends KnobName>(def: KnobDef<K>) => def;

const KV_BITS = enumKnob<"4" | "8" | "none">(["4", "8", "none"], new Map<unknown, "none">([[null, "none"], ["unset", "none"], ["null", "none"], ["f16", "none"]]), " (none = F16)");
const FLASH_ATTENTION = enumKnob<FlashAttentionMode>(["auto", "on", "off"], new Map<unknown, FlashAttentionMode>([[true, "on"], [false, "off"]]));
const ENGINE = enumKnob<EngineChoice>(["auto", "prebuilt", "local"]);
const GPU = enumKnob<GpuChoice>(["auto", "off", "metal", "cuda", "vulkan"], new Map<unknown, GpuChoice>([[false, "off"], ["false", "off"], ["cpu", "off"]]));
/** Every serve knob, in --help order. */
export const SERVE_KNOBS = [
  knob({
    name: "model", flag: "model", env: "MACPROVIDER_MODEL", yaml: "model", default: null,
    allowed: "a path to a .gguf file", description: "GGUF model to serve.",
    parse: orNull(nonEmptyString),
  }),
  knob({
    name: "kvBits", flag: "kv-bits", env: "MACPROVIDER_KV_BITS", yaml: "kv_bits", default: null,
    allowed: KV_BITS.allowed,
    description: "KV cache precision: 8 = Q8_0, 4 = Q4_0 for keys and values (forces flash attention on); none = F16.",
    parse(raw): KvBits {
      const bits = KV_BITS.parse(raw);
      return bits === "none" ? null : (Number(bits) as 4 | 8);
    },
  }),
  knob({
    name: "maxContext", flag: "max-context", env: "MACPROVIDER_MAX_CONTEXT", yaml: "max_context_override", default: null,
    allowed: "an integer from 1 up", description: "Context window served per sequence, in tokens; a prompt over it gets 413.",
    parse: orNull(integer(1)),
  }),
  knob({
    name: "maxBatch", flag: "max-batch", env: "MACPROVIDER_MAX_BATCH", yaml: "max_concurrency_override", default: 1,
    allowed: "an integer from 1 to 256", description: "Sequences decoded concurrently in one shared context (continuous batching).",
    parse: integer(1, 256),
  }),
  knob({
    name: "threads", flag: "threads", env: "MACPROVIDER_THREADS", yaml: "threads", default: null,
    allowed: "an integer from 1 to 1024", description: "CPU threads for evaluation; always passed to llama.cpp explicitly.",
    parse: orNull(integer(1, 1024)),
  }),
  knob({
    name: "flashAttention", flag: "flash-attention", env: "MACPROVIDER_FLASH_ATTENTION", yaml: "flash_attention", default: "auto",
    allowed: FLASH_ATTENTION.allowed, description: "Flash attention; quantized KV forces it on.",
    parse: FLASH_ATTENTION.parse,
  }),
  knob({
    name: "engine", flag: "engine", env: "MACPROVIDER_ENGINE", yaml: "engine", default: "auto",
    allowed: ENGINE.allowed, description: "llama.cpp build: prebuilt (shipped with node-llama-cpp), local (`macprovider engine build`), or auto (local when it exists).",
    parse: ENGINE.parse,
  }),
  knob({
    name: "gpu", flag: "gpu", env: "MACPROVIDER_GPU", yaml: "gpu", default: "auto",
    allowed: GPU.allowed,
    description: "Accelerator: auto (what node-llama-cpp detects: Metal on Apple silicon, CUDA or Vulkan on Linux; the CPU where there is none), off (CPU only), or one backend; a backend the machine lacks is refused.",
    parse: GPU.parse,
  }),
  knob({
    name: "gpuLayers", flag: "gpu-layers", env: "MACPROVIDER_GPU_LAYERS", yaml: "gpu_layers", default: "auto",
    allowed: GPU_LAYERS_ALLOWED,
    description: "Model layers offloaded to the GPU: auto (node-llama-cpp's fit of layers and context to free VRAM), max (all), or a count; ignored on the CPU.",
    parse: gpuLayers,
  }),
  knob({
    name: "host", flag: "host", env: "MACPROVIDER_HOST", yaml: "host", default: "127.0.0.1",
    allowed: "a host name or IP address", description: "Address to bind.", parse: nonEmptyString,
  }),
  knob({
    name: "port", flag: "port", env: "MACPROVIDER_PORT", yaml: "port", default: 8080,
    allowed: "an integer from 0 to 65535 (0 = any free port)", description: "TCP port.", parse: integer(0, 65535),
  }),
  knob({
    name: "apiKey", flag: "api-key", env: "MACPROVIDER_API_KEY", yaml: "api_key", default: null,
    allowed: "a non-empty string (leave the key out to serve without one)", description: "When set, every /v1/* route requires `Authorization: Bearer <key>`.",
    keepEmptyEnv: true,
    // Set but empty, wherever it comes from (`--api-key ""`, `MACPROVIDER_API_KEY=`, `api_key:`), is refused.
    parse: nonEmptyString,
  }),
  knob({
    name: "maxQueue", flag: "max-queue", env: "MACPROVIDER_MAX_QUEUE", yaml: "max_queue", default: 64,
    allowed: "an integer from 0 up", description: "Requests waiting for a free sequence before new ones get 503 server_busy.",
    parse: integer(0),
  }),
  knob({
    name: "graceMs", flag: "grace-ms", env: "MACPROVIDER_GRACE_MS", yaml: "grace_ms", default: 30000,
    allowed: "an integer from 0 up", description: "On SIGTERM/SIGINT, how long in-flight requests may run before they are aborted.",
    parse: integer(0),
  }),
] as const satisfies readonly KnobDef<any>[];

