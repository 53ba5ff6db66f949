/**
 * `--gpu` against what the machine has: which backend to open llama.cpp with, or why the choice
 * cannot be served (one line naming what the machine does have). Pure: the facts come from
 * node-llama-cpp's detection (`getLlamaGpuTypes("supported")`), gathered at the edge.
 */
import type { GpuBackend, GpuChoice } from "./engine-knobs.ts";
import type { VramState } from "./offload-memory.ts";

/** What node-llama-cpp finds on this machine. */
export type GpuSupport = {
  /** node-llama-cpp's platform name: "mac", "linux", "win". */
  platform: string;
  arch: string;
  /** Backends with usable drivers and a binary, best first (node-llama-cpp's own order). */
  usable: GpuBackend[];
};

/** The opened engine's accelerator; `backend` null = the CPU. */
export type GpuFacts = {
  backend: GpuBackend | null;
  /** Whether this binary can offload layers at all. */
  supportsOffloading: boolean;
  devices: string[];
  vram: VramState;
  /** VRAM node-llama-cpp keeps free for itself (its `vramPadding`). */
  vramPaddingBytes: number;
  /** Whether models load memory-mapped by default (changes the weights' VRAM estimate). */
  useMmap: boolean;
};

/**
 * What to open: `auto` lets node-llama-cpp pick (and fall back to the CPU); `false` is the CPU.
 * `offload: false` = no layers on the GPU even when the binary has one (Apple silicon has no
 * CPU-only prebuilt binary, so `off` there is the Metal binary with 0 layers).
 */
export type GpuOpen = { ok: true; open: "auto" | GpuBackend | false; offload: boolean } | { ok: false; message: string };

export const GPU_NAMES: Record<GpuBackend, string> = { metal: "Metal", cuda: "CUDA", vulkan: "Vulkan" };

const isAppleSilicon = (s: GpuSupport) => s.platform === "mac" && s.arch === "arm64";

export function gpuBackendFor(choice: GpuChoice, support: GpuSupport): GpuOpen {
  if (choice === "auto") return { ok: true, open: "auto", offload: true };
  if (choice === "off") return isAppleSilicon(support) ? { ok: true, open: "metal", offload: false } : { ok: true, open: false, offload: false };
  if (support.usable.includes(choice)) return { ok: true, open: choice, offload: true };
  const why = choice === "metal"
    ? `Metal needs macOS on Apple silicon, this is ${support.platform} ${support.arch}`
    : `node-llama-cpp finds no usable ${GPU_NAMES[choice]} here (${choice === "cuda" ? "NVIDIA driver and CUDA runtime libraries" : "a Vulkan driver"})`;
  return { ok: false, message: `gpu ${choice}: ${why}; this machine has ${machineHas(support)} (allowed here: ${allowedHere(support).join(", ")})` };
}

/** "CUDA, Vulkan and the CPU", or "the CPU only". */
export function machineHas(support: GpuSupport): string {
  if (support.usable.length === 0) return "the CPU only";
  return `${support.usable.map((g) => GPU_NAMES[g]).join(", ")} and the CPU`;
}

export function allowedHere(support: GpuSupport): GpuChoice[] {
  return ["auto", "off", ...support.usable];
}

/** The backend as people say it: "CUDA", or "CPU" for none. */
export function backendName(backend: GpuBackend | null): string {
  return backend === null ? "CPU" : GPU_NAMES[backend];
}
