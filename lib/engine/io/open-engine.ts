/**
 * The engine adapter over node-llama-cpp: open llama.cpp (prebuilt or local build), load a model
 * (after the integrity check), and create a context from plain knobs. Generation lives in
 * `generate-tokens.ts`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Llama, LlamaContext, LlamaModel } from "node-llama-cpp";
import { getLlama, LlamaLogLevel, NoBinaryFoundError } from "./node-llama-cpp.ts";
import { checkGgufIntegrity } from "../../gguf/io/check-gguf-integrity.ts";
import { CliError, EXIT } from "../../cli/cli-error.ts";
import { logger } from "../../cli/io/logger.ts";
import { contextOptionsFromKnobs, type EngineChoice, type EngineKnobs } from "../engine-knobs.ts";
import { LOCAL_BUILD_CMAKE_OPTIONS } from "../local-build-options.ts";
import { NODE_LLAMA_CPP_DIR } from "./local-builds.ts";

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

// node-llama-cpp builds under a proper-lockfile lock (`<build folder>.lock`, touched every 5 s,
// stale after 10 s) and getLlama waits for it without a bound or a word. Waiting 10 s also outlasts
// a lock left by a killed build.
const LOCAL_BUILDS_DIR = join(NODE_LLAMA_CPP_DIR, "llama", "localBuilds");
const BUILD_LOCK_STALE_MS = 10_000;
const BUILD_LOCK_WAIT_MS = 10_000;

const opened = new Map<EngineChoice, Promise<Llama>>();
/** Open captures of llama.cpp error lines (see withLlamaErrors). */
const captures = new Set<string[]>();

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
    logger: (level: LlamaLogLevel, message: string) => {
      const error = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal;
      if (error && captures.size > 0) for (const lines of captures) lines.push(message);
      else if (options.logger) options.logger(level, message);
      else if (error) process.stderr.write(`[llama.cpp] ${message}\n`);
    },
  };
  const prebuilt = () => getLlama({ ...common, cmakeOptions: PREBUILT_ONLY_OPTIONS });
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
  try {
    return await getLlama({ ...common, cmakeOptions: LOCAL_BUILD_CMAKE_OPTIONS, usePrebuiltBinaries: false });
  } catch (error) {
    if (!(error instanceof NoBinaryFoundError)) throw error;
    if (choice === "local") throw new EngineUnavailableError("engine local: no local llama.cpp build exists; run `macprovider engine build` first");
    return prebuilt();
  }
}

/** A build lock under llama/localBuilds touched within the stale window (a build running now), or null. */
function heldBuildLock(): string | null {
  if (!existsSync(LOCAL_BUILDS_DIR)) return null;
  for (const entry of readdirSync(LOCAL_BUILDS_DIR).filter((e) => e.endsWith(".lock"))) {
    const touched = statSync(join(LOCAL_BUILDS_DIR, entry), { throwIfNoEntry: false })?.mtimeMs; // gone: released
    if (touched !== undefined && Date.now() - touched < BUILD_LOCK_STALE_MS) return join(LOCAL_BUILDS_DIR, entry);
  }
  return null;
}

/** Says what it waits for, waits at most BUILD_LOCK_WAIT_MS, and returns a lock still held then, or null. */
async function waitForBuildLock(): Promise<string | null> {
  let lock = heldBuildLock();
  if (lock === null) return null;
  logger.info(`waiting up to ${BUILD_LOCK_WAIT_MS / 1000} s for the llama.cpp build in progress to finish (lock ${lock})`);
  const deadline = performance.now() + BUILD_LOCK_WAIT_MS;
  while (lock !== null && performance.now() < deadline) {
    await Bun.sleep(250);
    lock = heldBuildLock();
  }
  return lock;
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

/**
 * Runs `work` with llama.cpp's error lines pushed to `errors` instead of printed, whether it
 * succeeds or not: the reason a load failed, kept for a one-line message.
 */
export async function withLlamaErrors<T>(errors: string[], work: () => Promise<T>): Promise<T> {
  captures.add(errors);
  try {
    return await work();
  } finally {
    captures.delete(errors);
  }
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
