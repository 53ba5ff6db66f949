/**
 * Gathers what serve's plan needs (config file, machine, model file, engine, memory estimate) and
 * asks `planServe` for the decision. Shared by `serve` and by anything that must check a config the
 * way serve would (autotune's apply).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import type { Llama } from "node-llama-cpp";
import { ConfigError, resolveServeConfig, type ResolvedServeConfig } from "../../config/resolve-serve-config.ts";
import { inlineDecodeCapMs } from "../../engine/inline-decode-policy.ts";
import type { KnobName } from "../../config/serve-knobs.ts";
import { loadYamlConfig } from "../../config/io/load-yaml-config.ts";
import { unknownConfigKeys, unknownKeyWarning } from "../../config/unknown-config-keys.ts";
import { checkGgufIntegrity } from "../../gguf/io/check-gguf-integrity.ts";
import { detectMachine } from "../../host/io/detect-machine.ts";
import { configPath } from "../../host/io/paths.ts";
import { describeEngine, EngineUnavailableError, openEngine, planModelOffload, withLlamaErrors, type EngineGpu } from "../../engine/io/open-engine.ts";
import { logger } from "../../cli/io/logger.ts";
import type { EngineChoice } from "../../engine/engine-knobs.ts";
import { gpuBackendFor } from "../../engine/gpu-backend.ts";
import { detectGpuSupport, gpuFacts } from "../../engine/io/detect-gpu.ts";
import { estimateOffload, modelInsights, resolveGpuLayers } from "../../engine/io/estimate-memory.ts";
import { planServe, type EngineFacts, type ModelFacts, type ServePlan } from "../plan-serve.ts";
import { servedModelPath } from "../served-model-path.ts";

export type ServeInputs = {
  /** Raw CLI values by knob name (only those given). */
  cli: Partial<Record<KnobName, string>>;
  /** `--config`, when given. */
  configFile?: string;
  env: Record<string, string | undefined>;
  cwd: string;
};

export type ResolvedInputs = {
  config: ResolvedServeConfig;
  yamlPath: string;
  /** One line per config-file key no knob reads (see unknownConfigKeys). */
  warnings: string[];
};

export type PreparedServe = ResolvedInputs & { plan: ServePlan; llama: Llama };

/** Settings only: the config file read and every knob resolved (ConfigError on a bad one). */
export function resolveServeInputs(inputs: ServeInputs): ResolvedInputs {
  const explicit = inputs.configFile ?? inputs.env.MACPROVIDER_CONFIG;
  const yamlPath = explicit ?? configPath(inputs.env);
  const yaml = loadYamlConfig(yamlPath, explicit !== undefined);
  const warnings = yaml ? unknownConfigKeys(yaml).map((unknown) => unknownKeyWarning(unknown, yamlPath)) : [];
  checkEngineEnv(inputs.env);
  return { config: resolveServeConfig({ cli: inputs.cli, env: inputs.env, yaml, yamlPath }), yamlPath, warnings };
}

/** The engine's own variable (not a knob: no CLI flag, no config key), checked as loudly as one. */
function checkEngineEnv(env: Record<string, string | undefined>): void {
  try {
    inlineDecodeCapMs(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** The whole preflight (CFG-2); throws ConfigError before anything is loaded or bound. */
export async function prepareServe(inputs: ServeInputs): Promise<PreparedServe> {
  const { config, yamlPath, warnings } = resolveServeInputs(inputs);
  const modelPath = servedModelPath(config, yamlPath, { home: homedir(), cwd: inputs.cwd });
  const model = inspectModel(modelPath);
  const gpuSupport = await detectGpuSupport();
  const backend = gpuBackendFor(config.values.gpu, gpuSupport);
  const { llama, engine } = model.state === "ok" && backend.ok ? await open(config.values.engine, backend.open) : { llama: null, engine: null };
  const gpu = engine?.ok ? engine.gpu : null;
  // node-llama-cpp's estimate loads the model's metadata in llama.cpp: a model that will fail to load
  // fails there first, with error lines of its own. The load reports the reason in one line.
  const errors: string[] = [];
  const plan = await withLlamaErrors(errors, () => planServe({
    config, yamlPath, modelPath, model, gpuSupport, engine,
    machine: detectMachine(),
    async resolveGpuLayers(choice, knobs, fitContext) {
      const insights = await modelInsights(llama!, modelPath);
      return { gpuLayers: await resolveGpuLayers(insights, choice, knobs, gpu!, fitContext), totalLayers: insights.totalLayers };
    },
    estimate: async (knobs, gpuLayers) => estimateOffload(await modelInsights(llama!, modelPath), knobs, gpuLayers),
  })).finally(() => {
    for (const line of errors) logger.debug(`[llama.cpp, memory estimate] ${line}`);
  });
  // The provider loads the model without knowing the plan: the engine carries the planned offload.
  planModelOffload(llama!, plan.offload.gpuLayers);
  return { config, yamlPath, warnings, plan, llama: llama! };
}

/** Opens llama.cpp as asked; a build or backend that cannot be opened is a fact for the plan to refuse. */
async function open(choice: EngineChoice, gpu: EngineGpu): Promise<{ llama: Llama | null; engine: EngineFacts }> {
  try {
    const llama = await openEngine({ engine: choice, gpu });
    return { llama, engine: { ok: true, build: describeEngine(llama).build, gpu: await gpuFacts(llama) } };
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) throw error;
    return { llama: null, engine: { ok: false, message: error.message, knob: error.knob } };
  }
}

function inspectModel(path: string): ModelFacts {
  if (!existsSync(path)) return { state: "missing" };
  try {
    return { state: "ok", integrity: checkGgufIntegrity(path) };
  } catch (error) {
    return { state: "defective", message: (error as Error).message };
  }
}
