/**
 * The engine adapter over node-llama-cpp: open llama.cpp, load a model (after the integrity check),
 * and create a context from plain knobs. Generation lives in `generate-tokens.ts`.
 */
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { checkGgufIntegrity } from "./check-gguf-integrity.ts";
import { contextOptionsFromKnobs, type EngineKnobs } from "./engine-knobs.ts";

export type EngineOpenOptions = {
  /** GPU backend; false = CPU only. Defaults to false (this project's machines are CPU-only). */
  gpu?: false | "auto" | "metal" | "cuda" | "vulkan";
  /** llama.cpp log lines go here; defaults to dropping everything below warnings. */
  logger?: (level: LlamaLogLevel, message: string) => void;
};

let shared: Promise<Llama> | null = null;

/** Opens llama.cpp once per process; later calls get the same instance. Never downloads or builds. */
export function openEngine(options: EngineOpenOptions = {}): Promise<Llama> {
  shared ??= getLlama({
    gpu: options.gpu ?? false,
    build: "never",
    // No thread cap: each context asks for exactly its `threads` knob.
    maxThreads: 0,
    logLevel: LlamaLogLevel.warn,
    logger: options.logger ?? ((level, message) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) process.stderr.write(`[llama.cpp] ${message}\n`);
    }),
  });
  return shared;
}

/** Loads a GGUF after the integrity check, so a file that would abort llama.cpp never reaches it. */
export async function loadEngineModel(llama: Llama, modelPath: string, signal?: AbortSignal): Promise<LlamaModel> {
  checkGgufIntegrity(modelPath);
  return llama.loadModel({ modelPath, gpuLayers: 0, loadSignal: signal });
}

export async function createEngineContext(model: LlamaModel, knobs: EngineKnobs): Promise<LlamaContext> {
  return model.createContext(contextOptionsFromKnobs(knobs));
}
