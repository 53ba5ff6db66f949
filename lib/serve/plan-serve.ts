/**
 * serve's preflight as one decision (CFG-2): from the resolved settings and the facts gathered about
 * the machine, its accelerator, the model file and the engine, either the plan to serve or a
 * `ConfigError` naming the knob, the value, its source and what is allowed. No I/O: the offload
 * resolver and the memory estimate are passed in.
 */
import type { EngineKnobs, GpuLayersChoice } from "../engine/engine-knobs.ts";
import { offloadCapacity, type OffloadPlan } from "../engine/describe-offload.ts";
import { gpuBackendFor, type GpuFacts, type GpuSupport } from "../engine/gpu-backend.ts";
import { memoryNeed, vramBudgetBytes, type OffloadEstimate } from "../engine/offload-memory.ts";
import type { IntegritySummary } from "../gguf/check-gguf-header.ts";
import { defaultThreads } from "../host/default-threads.ts";
import type { MachineInfo } from "../host/machine-info.ts";
import { ConfigError, describeSource, type ResolvedServeConfig } from "../config/resolve-serve-config.ts";
import { ramTierContext } from "../config/ram-tier-context.ts";
import { SERVE_KNOBS, type KnobName } from "../config/serve-knobs.ts";
import { ContextFitError } from "./fit-max-context.ts";
import { fitOffloadContext, type OffloadFit, type OffloadFitInputs } from "./fit-offload-context.ts";
import { memoryBudgetBytes } from "./memory-budget.ts";
import { modelIdFromPath } from "./model-id-from-path.ts";
import { tokenFloorApplies } from "./prompt-token-floor.ts";

/** What was found at the model path: nothing, a file failing the integrity check, or a good one. */
export type ModelFacts =
  | { state: "missing" }
  | { state: "defective"; message: string }
  | { state: "ok"; integrity: IntegritySummary };

/** Whether llama.cpp could be opened as asked (build and backend), which build it is and its accelerator. */
export type EngineFacts = { ok: true; build: string; gpu: GpuFacts } | { ok: false; message: string; knob?: "engine" | "gpu" };

export type ServePlanInputs = {
  config: ResolvedServeConfig;
  yamlPath: string;
  machine: Pick<MachineInfo, "totalRamBytes" | "physicalCores" | "usableCpus">;
  modelPath: string;
  model: ModelFacts;
  /** The backends node-llama-cpp finds on this machine, for the gpu knob. */
  gpuSupport: GpuSupport;
  /** Null when not opened (the model or the gpu knob was refused first). */
  engine: EngineFacts | null;
  /** Layers a gpu_layers choice offloads with these knobs; `fitContext`: tokens of an operator's window. */
  resolveGpuLayers(choice: GpuLayersChoice, knobs: EngineKnobs, fitContext: number | null): Promise<{ gpuLayers: number; totalLayers: number }>;
  /** RAM and VRAM of the weights and a context with these knobs, `gpuLayers` offloaded; monotonic in maxContext. */
  estimate(knobs: EngineKnobs, gpuLayers: number): Promise<OffloadEstimate>;
};

export type ServePlan = {
  modelPath: string;
  modelId: string;
  knobs: EngineKnobs;
  /** Backend, layers offloaded and the memory taken. */
  offload: OffloadPlan;
  /** Where max_context came from, e.g. "cli" or "default, capped by memory". */
  contextSource: string;
  /** The static part of /v1/capacity. */
  capacity: Record<string, unknown>;
  /** Bytes of the longest token when it bounds a prompt's token count (see promptTokenFloor), else null. */
  maxTokenBytes: number | null;
};

const CAPPED_BY = { trained_context: "trained context", memory: "memory", vram: "VRAM" } as const;

/** Throws ConfigError (exit 78) for the first problem, in the order an operator would fix them. */
export async function planServe(inputs: ServePlanInputs): Promise<ServePlan> {
  const { config: { values, sources }, machine, modelPath } = inputs;
  const { integrity, offloadAllowed, engine } = checkFacts(inputs);
  const gpu = engine.gpu;
  const threads = values.threads ?? defaultThreads(machine);
  const knobsAt = (maxContext: number): EngineKnobs => ({ kvBits: values.kvBits, maxContext, maxBatch: values.maxBatch, threads, flashAttention: values.flashAttention });
  const tierDefault = ramTierContext(machine.totalRamBytes);
  const choice = offloadAllowed && gpu.backend !== null ? values.gpuLayers : 0;
  const fitTokens = values.maxContext === null ? null : values.maxContext * values.maxBatch;
  const { gpuLayers, totalLayers } = await inputs.resolveGpuLayers(choice, knobsAt(values.maxContext ?? tierDefault), fitTokens);
  const pools = { ramBudgetBytes: memoryBudgetBytes(machine.totalRamBytes), vramBudgetBytes: vramBudgetBytes(gpu.vram, gpu.vramPaddingBytes) };
  const needAt = async (c: number) => memoryNeed(await inputs.estimate(knobsAt(c), gpuLayers), gpu.vram);
  const fit = await fitServedContext(inputs, { tierDefault, trainContext: integrity.trainContext, pools, gpu: gpu.backend !== null, needAt }, `${gpuLayers}/${totalLayers}`);
  const knobs = knobsAt(fit.context);
  const estimate = await inputs.estimate(knobs, gpuLayers);
  const offload: OffloadPlan = {
    choice: values.gpu, backend: gpu.backend, devices: gpu.devices, gpuLayers, totalLayers, estimate,
    need: memoryNeed(estimate, gpu.vram), pools, unified: gpu.backend !== null && gpu.vram.unifiedSize > 0,
  };
  const contextSource = fit.cappedBy ? `default, capped by ${CAPPED_BY[fit.cappedBy]}` : sources.maxContext;
  const modelId = modelIdFromPath(modelPath);
  return {
    modelPath,
    modelId,
    knobs,
    offload,
    contextSource,
    maxTokenBytes: tokenFloorApplies(integrity.tokenizerModel) ? integrity.longestTokenBytes : null,
    capacity: {
      model: modelId,
      max_batch: knobs.maxBatch,
      max_queue: values.maxQueue,
      max_context: knobs.maxContext,
      kv_bits: knobs.kvBits,
      threads: knobs.threads,
      flash_attention: knobs.flashAttention,
      engine: values.engine,
      engine_build: engine.build,
      gpu: values.gpu,
      gpu_layers: values.gpuLayers,
      ...offloadCapacity(offload),
      sources: Object.fromEntries(SERVE_KNOBS.map((k) => [k.yaml, k.name === "maxContext" ? contextSource : sources[k.name]])),
    },
  };
}

/** The model, the gpu knob against the machine, then the engine: the first problem as a ConfigError. */
function checkFacts(inputs: ServePlanInputs) {
  const { modelPath, model } = inputs;
  const where = whereOf(inputs);
  if (model.state === "missing") throw new ConfigError(`${where("model")}: model file ${modelPath} does not exist`);
  if (model.state === "defective") throw new ConfigError(`${where("model")}: ${model.message}`);
  const backend = gpuBackendFor(inputs.config.values.gpu, inputs.gpuSupport);
  if (!backend.ok) throw new ConfigError(`${where("gpu")}: ${backend.message}`);
  const engine = inputs.engine;
  if (engine === null) throw new Error("planServe: the engine facts are needed once the model and the gpu are good");
  if (!engine.ok) throw new ConfigError(`${where(engine.knob ?? "engine")}: ${engine.message}`);
  return { integrity: model.integrity, offloadAllowed: backend.offload, engine };
}

/** The served window (see fitOffloadContext); one that cannot be served names its source and the knobs. */
async function fitServedContext(inputs: ServePlanInputs, fit: Omit<OffloadFitInputs, "requested">, layers: string): Promise<OffloadFit> {
  const { values, sources } = inputs.config;
  try {
    return await fitOffloadContext({ ...fit, requested: values.maxContext });
  } catch (error) {
    if (!(error instanceof ContextFitError)) throw error;
    const source = sources.maxContext === "default" ? "the default context" : whereOf(inputs)("maxContext");
    const offload = fit.gpu ? `, ${layers} layers on the GPU` : "";
    throw new ConfigError(`${source}: ${error.message} (with max batch ${values.maxBatch}, kv bits ${values.kvBits ?? "none"}${offload})`);
  }
}

function whereOf(inputs: Pick<ServePlanInputs, "config" | "yamlPath">) {
  return (name: KnobName) => describeSource(knobDef(name), inputs.config.sources[name], inputs.yamlPath);
}

export function knobDef(name: KnobName) {
  return SERVE_KNOBS.find((k) => k.name === name)!;
}
