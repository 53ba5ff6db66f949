/**
 * The engine adapter over node-llama-cpp: open llama.cpp (prebuilt or local build), load a model
 * (after the integrity check), and create a context from plain knobs. Generation lives in
 * `generate-tokens.ts`.
 */
import { getLlama, LlamaLogLevel, NoBinaryFoundError, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { checkGgufIntegrity } from "../../gguf/io/check-gguf-integrity.ts";
import { CliError, EXIT } from "../../cli/cli-error.ts";
import { contextOptionsFromKnobs, type EngineChoice, type EngineKnobs } from "../engine-knobs.ts";
import { LOCAL_BUILD_CMAKE_OPTIONS } from "../local-build-options.ts";


export type EngineOpenOptions = {
  engine?: EngineChoice;
  /** GPU backend; false = CPU only. Defaults to false (this project's machines are CPU-only). */
  gpu?: false | "auto" | "metal" | "cuda" | "vulkan";
  /** llama.cpp log lines go here; defaults to printing errors to stderr. */
  logger?: (level: LlamaLogLevel, message: string) => void;
};

/** `--engine local` without a local build, or a binary that would not load: one line, exit 78. */
export class EngineUnavailableError extends CliError {
  constructor(message: string) {
    super(message, EXIT.config);
    this.name = "EngineUnavailableError";
  }
}

// A marker option no local build is made with: node-llama-cpp looks for a local build whose folder
// matches the custom CMake options, finds none, and falls back to the prebuilt binary, which it
// accepts whatever the options (existingPrebuiltBinaryMustMatchBuildOptions is false).
const PREBUILT_ONLY_OPTIONS = { MACPROVIDER_SELECT_PREBUILT: "1" };

const opened = new Map<EngineChoice, Promise<Llama>>();

/** Opens llama.cpp once per choice and process. Never downloads or builds. */
export function openEngine(options: EngineOpenOptions = {}): Promise<Llama> {
  const choice = options.engine ?? "auto";
  let llama = opened.get(choice);
  if (!llama) {
    llama = openUncached(choice, options);
    llama.catch(() => opened.delete(choice)); // a failed open may be retried
    opened.set(choice, llama);
  }
  return llama;
}

async function openUncached(choice: EngineChoice, options: EngineOpenOptions): Promise<Llama> {
  const common = {
    gpu: options.gpu ?? false,
    build: "never" as const,
    // No thread cap: each context asks for exactly its `threads` knob.
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: options.logger ?? ((level: LlamaLogLevel, message: string) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[llama.cpp] ${message}\n`);
    }),
  };
  if (choice === "prebuilt") {
    const llama = await getLlama({ ...common, cmakeOptions: PREBUILT_ONLY_OPTIONS });
    if (llama.buildType !== "prebuilt") throw new EngineUnavailableError(`engine prebuilt: node-llama-cpp loaded a ${llama.buildType} binary instead`);
    return llama;
  }
  try {
    return await getLlama({ ...common, cmakeOptions: LOCAL_BUILD_CMAKE_OPTIONS, usePrebuiltBinaries: false });
  } catch (error) {
    if (!(error instanceof NoBinaryFoundError)) throw error;
    if (choice === "local") throw new EngineUnavailableError("engine local: no local llama.cpp build exists; run `macprovider engine build` first");
    return getLlama({ ...common, cmakeOptions: PREBUILT_ONLY_OPTIONS });
  }
}

/**
 * Loads a GGUF after the integrity check, so a file that would abort llama.cpp never reaches it.
 * `alreadyChecked`: the caller ran the check itself (serve's preflight) and the file is unchanged.
 */
export async function loadEngineModel(llama: Llama, modelPath: string, options: { signal?: AbortSignal; alreadyChecked?: boolean } = {}): Promise<LlamaModel> {
  const { signal, alreadyChecked = false } = options;
  if (!alreadyChecked) checkGgufIntegrity(modelPath);
  return llama.loadModel({ modelPath, gpuLayers: 0, loadSignal: signal });
}

export async function createEngineContext(model: LlamaModel, knobs: EngineKnobs): Promise<LlamaContext> {
  return model.createContext(contextOptionsFromKnobs(knobs));
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
