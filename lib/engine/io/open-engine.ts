/**
 * The engine adapter over node-llama-cpp: open llama.cpp (prebuilt or local build, on the CPU or a
 * GPU backend), load a model (after the integrity check, with the planned offload), and create a
 * context from plain knobs. Generation lives in `generate-tokens.ts`.
 */
import type { Llama, LlamaContext, LlamaModel, LlamaOptions } from "node-llama-cpp";
import { getLlama, getLlamaGpuTypes, LlamaLogLevel, NoBinaryFoundError } from "./node-llama-cpp.ts";
import { checkGgufIntegrity } from "../../gguf/io/check-gguf-integrity.ts";
import { CliError, EXIT } from "../../cli/cli-error.ts";
import { logger } from "../../cli/io/logger.ts";
import { contextOptionsFromKnobs, type EngineChoice, type EngineKnobs, type GpuBackend } from "../engine-knobs.ts";
import { GPU_NAMES } from "../gpu-backend.ts";
import { ADDON_PATCH_VERSION, PREBUILT_ONLY_OPTIONS } from "../local-build-options.ts";
import { inlineDecodeCapMs } from "../inline-decode-policy.ts";
import { installInlineDecode } from "./inline-decode.ts";
import { hostLocalBuildOptions } from "./local-builds.ts";
import { BUILD_LOCK_WAIT_MS, waitForBuildLock } from "./build-lock.ts";
import { llamaLogger } from "./llama-log.ts";
import { installSamplerConfigCache } from "./sampler-config-cache.ts";

export { withLlamaErrors } from "./llama-log.ts";

/** The backend to open: `auto` = node-llama-cpp's detection, falling back to the CPU; false = the CPU. */
export type EngineGpu = "auto" | GpuBackend | false;

export type EngineOpenOptions = {
  engine?: EngineChoice;
  /** GPU backend (see gpuBackendFor). Defaults to "auto". */
  gpu?: EngineGpu;
  /** llama.cpp log lines go here; defaults to printing errors to stderr. */
  logger?: (level: LlamaLogLevel, message: string) => void;
};

/** `--engine local` without a local build, or a binary that would not load: one line, exit 78, naming the knob. */
export class EngineUnavailableError extends CliError {
  constructor(message: string, readonly knob: "engine" | "gpu" = "engine") {
    super(message, EXIT.config);
    this.name = "EngineUnavailableError";
  }
}

const opened = new Map<string, Promise<Llama>>();
/** The layers serve's plan offloads, per opened engine (see planModelOffload). */
const plannedOffload = new WeakMap<Llama, number>();

/** Opens llama.cpp once per (engine, gpu) and process. Never downloads or builds. */
export function openEngine(options: EngineOpenOptions = {}): Promise<Llama> {
  installSamplerConfigCache();
  const choice = options.engine ?? "auto";
  const gpu = options.gpu ?? "auto";
  const key = `${choice}:${gpu}`;
  let llama = opened.get(key);
  if (!llama) {
    llama = openUncached(choice, gpu, options);
    llama.catch(() => opened.delete(key)); // a failed open may be retried
    opened.set(key, llama);
  }
  return llama;
}

async function openUncached(choice: EngineChoice, gpu: EngineGpu, options: EngineOpenOptions): Promise<Llama> {
  const common: LlamaOptions = {
    gpu,
    build: "never",
    // No thread cap: each context asks for exactly its `threads` knob.
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: llamaLogger(options.logger),
  };
  const prebuilt = () => withGpuErrors(gpu, () => getLlama({ ...common, cmakeOptions: PREBUILT_ONLY_OPTIONS }));
  if (choice === "prebuilt") {
    const llama = await prebuilt();
    if (llama.buildType !== "prebuilt") throw new EngineUnavailableError(`engine prebuilt: node-llama-cpp loaded a ${llama.buildType} binary instead`);
    return llama;
  }
  const lock = await waitForBuildLock();
  if (lock !== null) {
    const waited = `a llama.cpp build is still in progress after ${BUILD_LOCK_WAIT_MS / 1000} s (lock ${lock})`;
    if (choice === "local") throw new EngineUnavailableError(`engine local: ${waited}; wait for \`macprovider engine build\` to finish, or pass --engine prebuilt`);
    logger.warn(`engine auto: ${waited}: using the prebuilt engine; restart once the build is done to use it`);
    return prebuilt();
  }
  for (const option of await localGpuOptions(choice, gpu)) {
    try {
      return await getLlama({ ...common, gpu: option, cmakeOptions: hostLocalBuildOptions(), usePrebuiltBinaries: false });
    } catch (error) {
      if (!(error instanceof NoBinaryFoundError)) throw error;
    }
  }
  if (choice === "local") throw new EngineUnavailableError(`engine local: no local llama.cpp build${gpu === "auto" || gpu === false ? "" : ` for ${GPU_NAMES[gpu]}`} exists; run \`macprovider engine build\` first`);
  return prebuilt();
}

/**
 * The GPU options to look for a local build with. On a machine with a GPU, `auto` first looks for a
 * GPU build only: node-llama-cpp would otherwise take a CPU-only local build over the prebuilt GPU
 * binary; `--engine local` then settles for a CPU build.
 */
async function localGpuOptions(choice: EngineChoice, gpu: EngineGpu): Promise<LlamaOptions["gpu"][]> {
  if (gpu !== "auto" || !(await getLlamaGpuTypes("supported")).some((g) => g !== false)) return [gpu];
  const gpuOnly = { type: "auto" as const, exclude: [false as const] };
  return choice === "local" ? [gpuOnly, "auto"] : [gpuOnly];
}

/** A named backend whose binary will not load is the gpu knob's problem, in one line. */
async function withGpuErrors(gpu: EngineGpu, open: () => Promise<Llama>): Promise<Llama> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof NoBinaryFoundError) || gpu === "auto" || gpu === false) throw error;
    throw new EngineUnavailableError(`gpu ${gpu}: node-llama-cpp's ${GPU_NAMES[gpu]} binary does not load on this machine (driver or runtime libraries missing, or no binary for this platform)`, "gpu");
  }
}

/**
 * Makes `loadEngineModel` offload this many layers on this engine unless told otherwise: serve's
 * preflight plans the offload, and the provider loads the model without knowing the plan.
 */
export function planModelOffload(llama: Llama, gpuLayers: number): void {
  plannedOffload.set(llama, gpuLayers);
}

/**
 * Loads a GGUF after the integrity check, so a file that would abort llama.cpp never reaches it.
 * `alreadyChecked`: the caller ran the check itself (serve's preflight) and the file is unchanged.
 */
export async function loadEngineModel(llama: Llama, modelPath: string, options: { signal?: AbortSignal; alreadyChecked?: boolean; gpuLayers?: number } = {}): Promise<LlamaModel> {
  const { signal, alreadyChecked = false } = options;
  if (!alreadyChecked) checkGgufIntegrity(modelPath);
  return llama.loadModel({ modelPath, gpuLayers: defaultGpuLayers(llama, options.gpuLayers), loadSignal: signal });
}

/** Layers to offload: the caller's count, else serve's plan, else none on the CPU and node-llama-cpp's fit on a GPU. */
function defaultGpuLayers(llama: Llama, given: number | undefined): number | "auto" {
  return given ?? plannedOffload.get(llama) ?? (llama.gpu === false ? 0 : "auto");
}

/** A context for the knobs; on the patched local build, short decode steps run inline (inline-decode.ts). */
export async function createEngineContext(model: LlamaModel, knobs: EngineKnobs, env: Record<string, string | undefined> = process.env): Promise<LlamaContext> {
  const capMs = inlineDecodeCapMs(env);
  const context = await model.createContext(contextOptionsFromKnobs(knobs));
  if (hasAddonPatch(model.llama)) installInlineDecode(context, capMs);
  return context;
}

/** Whether `llama` is a local build carrying this version of the addon patch. */
export function hasAddonPatch(llama: Llama): boolean {
  return llama.buildType === "localBuild" && llama.cmakeOptions.MACPROVIDER_ADDON_PATCH === ADDON_PATCH_VERSION;
}

/** What `engine status` and `/v1/capacity` say about an opened engine. */
export function describeEngine(llama: Llama) {
  return {
    build: llama.buildType === "localBuild" ? "local" : "prebuilt",
    gpu: llama.gpu,
    llama_cpp_release: llama.llamaCppRelease.release,
    cpu_math_cores: llama.cpuMathCores,
    cmake_options: llama.cmakeOptions,
    system_info: llama.systemInfo.trim(),
  };
}
