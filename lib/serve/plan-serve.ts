/**
 * serve's preflight as one decision (CFG-2): from the resolved settings and the facts gathered about
 * the machine, the model file and the engine, either the plan to serve or a `ConfigError` naming the
 * knob, the value, its source and what is allowed. No I/O: the memory estimate is passed in.
 */
import type { EngineKnobs } from "../engine/engine-knobs.ts";
import type { IntegritySummary } from "../gguf/check-gguf-header.ts";
import { defaultThreads } from "../host/default-threads.ts";
import type { MachineInfo } from "../host/machine-info.ts";
import { ConfigError, describeSource, type ResolvedServeConfig } from "../config/resolve-serve-config.ts";
import { ramTierContext } from "../config/ram-tier-context.ts";
import { SERVE_KNOBS, type KnobName } from "../config/serve-knobs.ts";
import { ContextFitError, fitMaxContext } from "./fit-max-context.ts";
import { memoryBudgetBytes } from "./memory-budget.ts";
import { modelIdFromPath } from "./model-id-from-path.ts";
import { tokenFloorApplies } from "./prompt-token-floor.ts";

/** What was found at the model path: nothing, a file failing the integrity check, or a good one. */
export type ModelFacts =
  | { state: "missing" }
  | { state: "defective"; message: string }
  | { state: "ok"; integrity: IntegritySummary };

/** Whether the asked-for llama.cpp build could be opened, and which one it is. */
export type EngineFacts = { ok: true; build: string } | { ok: false; message: string };

export type ServePlanInputs = {
  config: ResolvedServeConfig;
  yamlPath: string;
  machine: Pick<MachineInfo, "totalRamBytes" | "physicalCores" | "usableCpus">;
  modelPath: string;
  model: ModelFacts;
  /** Null when not opened (the model was refused first). */
  engine: EngineFacts | null;
  /** Total bytes (weights + context) these knobs need; monotonic in maxContext. */
  estimateBytes(knobs: EngineKnobs): Promise<number>;
};

export type ServePlan = {
  modelPath: string;
  modelId: string;
  knobs: EngineKnobs;
  /** Where max_context came from, e.g. "cli" or "default, capped by memory". */
  contextSource: string;
  /** The static part of /v1/capacity. */
  capacity: Record<string, unknown>;
  /** Bytes of the longest token when it bounds a prompt's token count (see promptTokenFloor), else null. */
  maxTokenBytes: number | null;
};

/** Throws ConfigError (exit 78) for the first problem, in the order an operator would fix them. */
export async function planServe(inputs: ServePlanInputs): Promise<ServePlan> {
  const { config: { values, sources }, yamlPath, machine, modelPath } = inputs;
  const where = (name: KnobName) => describeSource(knobDef(name), sources[name], yamlPath);
  if (inputs.model.state === "missing") throw new ConfigError(`${where("model")}: model file ${modelPath} does not exist`);
  if (inputs.model.state === "defective") throw new ConfigError(`${where("model")}: ${inputs.model.message}`);
  if (inputs.engine === null) throw new Error("planServe: the engine facts are needed once the model is good");
  if (!inputs.engine.ok) throw new ConfigError(`${where("engine")}: ${inputs.engine.message}`);

  const threads = values.threads ?? defaultThreads(machine);
  const knobsAt = (maxContext: number): EngineKnobs => ({ kvBits: values.kvBits, maxContext, maxBatch: values.maxBatch, threads, flashAttention: values.flashAttention });
  let fit;
  try {
    fit = await fitMaxContext({
      requested: values.maxContext,
      tierDefault: ramTierContext(machine.totalRamBytes),
      trainContext: inputs.model.integrity.trainContext,
      memoryBudgetBytes: memoryBudgetBytes(machine.totalRamBytes),
      estimateBytes: (c) => inputs.estimateBytes(knobsAt(c)),
    });
  } catch (error) {
    if (!(error instanceof ContextFitError)) throw error;
    const source = sources.maxContext === "default" ? "the default context" : where("maxContext");
    throw new ConfigError(`${source}: ${error.message} (with max batch ${values.maxBatch}, kv bits ${values.kvBits ?? "none"})`);
  }
  const knobs = knobsAt(fit.context);
  const contextSource = fit.cappedBy ? `default, capped by ${fit.cappedBy.replace("_", " ")}` : sources.maxContext;
  const modelId = modelIdFromPath(modelPath);
  const { tokenizerModel, longestTokenBytes } = inputs.model.integrity;
  return {
    modelPath,
    modelId,
    knobs,
    contextSource,
    maxTokenBytes: tokenFloorApplies(tokenizerModel) ? longestTokenBytes : null,
    capacity: {
      model: modelId,
      max_batch: knobs.maxBatch,
      max_queue: values.maxQueue,
      max_context: knobs.maxContext,
      kv_bits: knobs.kvBits,
      threads: knobs.threads,
      flash_attention: knobs.flashAttention,
      engine: values.engine,
      engine_build: inputs.engine.build,
      sources: Object.fromEntries(SERVE_KNOBS.map((k) => [k.yaml, k.name === "maxContext" ? contextSource : sources[k.name]])),
    },
  };
}

export function knobDef(name: KnobName) {
  return SERVE_KNOBS.find((k) => k.name === name)!;
}
