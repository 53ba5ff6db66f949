/**
 * The machine's accelerators as node-llama-cpp sees them: before opening llama.cpp, the backends it
 * could use (`getLlamaGpuTypes("supported")`: drivers present and a binary for this platform);
 * after, what the opened llama.cpp has (backend, device names, VRAM).
 */
import type { Llama } from "node-llama-cpp";
import { getLlama, getLlamaGpuTypes, LlamaLogLevel } from "./node-llama-cpp.ts";
import type { GpuBackend } from "../engine-knobs.ts";
import type { GpuFacts, GpuSupport } from "../gpu-backend.ts";
import { PREBUILT_ONLY_OPTIONS } from "../local-build-options.ts";

const PLATFORMS: Record<string, string> = { darwin: "mac", linux: "linux", win32: "win" };

export async function detectGpuSupport(): Promise<GpuSupport> {
  const usable = (await getLlamaGpuTypes("supported")).filter((g): g is GpuBackend => g !== false);
  return { platform: PLATFORMS[process.platform] ?? process.platform, arch: process.arch, usable };
}

export async function gpuFacts(llama: Llama): Promise<GpuFacts> {
  const { total, free, unifiedSize } = await llama.getVramState();
  return {
    backend: llama.gpu === false ? null : llama.gpu,
    supportsOffloading: llama.supportsGpuOffloading,
    devices: await llama.getGpuDeviceNames(),
    vram: { total, free, unifiedSize },
    vramPaddingBytes: llama.vramPaddingSize,
    useMmap: llama.supportsMmap,
  };
}

/**
 * The backend `--gpu auto` gets here, null = the CPU: node-llama-cpp's own pick among the prebuilt
 * binaries, each tested, in a dry run that initialises nothing (no VRAM taken in this process).
 */
export async function detectAutoBackend(): Promise<GpuBackend | null> {
  const llama = await getLlama({ gpu: "auto", dryRun: true, cmakeOptions: PREBUILT_ONLY_OPTIONS, logLevel: LlamaLogLevel.error, progressLogs: false });
  return llama.gpu === false ? null : llama.gpu;
}
