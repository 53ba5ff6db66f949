/**
 * What serve runs on and what it takes, as `/v1/capacity` and the ready log say it: the backend and
 * why (so `--gpu auto` on a machine without a GPU says it is the CPU), the device name(s), layers
 * offloaded out of the total, and the RAM and VRAM of the model and its context. Pure.
 */
import type { GpuBackend, GpuChoice } from "./engine-knobs.ts";
import { backendName } from "./gpu-backend.ts";
import { formatBytes, type MemoryNeed, type MemoryPools, type OffloadEstimate } from "./offload-memory.ts";

export type OffloadPlan = {
  /** The `--gpu` knob. */
  choice: GpuChoice;
  /** What llama.cpp was opened with; null = the CPU. */
  backend: GpuBackend | null;
  devices: string[];
  gpuLayers: number;
  totalLayers: number;
  estimate: OffloadEstimate;
  need: MemoryNeed;
  pools: MemoryPools;
  /** The VRAM is system RAM (Apple silicon): counted once, in RAM. */
  unified: boolean;
};

/** Why this backend: "gpu auto: node-llama-cpp detects no GPU, so the CPU". */
export function backendNote(p: Pick<OffloadPlan, "choice" | "backend">): string {
  if (p.backend === null) return p.choice === "auto" ? "gpu auto: node-llama-cpp detects no GPU, so the CPU" : "gpu off: the CPU";
  if (p.choice === "off") return `gpu off: no layers offloaded (the ${backendName(p.backend)} binary is the only one here)`;
  return p.choice === "auto" ? `gpu auto: ${backendName(p.backend)} detected` : `gpu ${p.choice}`;
}

/** One line: "CUDA (NVIDIA H200; gpu auto: CUDA detected), 33/33 layers offloaded, VRAM 9.10 GiB, RAM 412 MiB". */
export function offloadLine(p: OffloadPlan): string {
  const devices = p.devices.length > 0 ? `${p.devices.join(", ")}; ` : "";
  const head = `${backendName(p.backend)} (${devices}${backendNote(p)})`;
  if (p.backend === null) return `${head}, RAM ${formatBytes(p.need.ramBytes)}`;
  const layers = `${p.gpuLayers}/${p.totalLayers} layers offloaded`;
  const memory = p.unified
    ? `${formatBytes(p.need.ramBytes)} unified memory (${formatBytes(p.need.vramBytes)} of it on the GPU)`
    : `VRAM ${formatBytes(p.need.vramBytes)}, RAM ${formatBytes(p.need.ramBytes)}`;
  return `${head}, ${layers}, ${memory}`;
}

/** The offload part of /v1/capacity (the knobs themselves are `gpu` and `gpu_layers`). */
export function offloadCapacity(p: OffloadPlan): Record<string, unknown> {
  const { model, context } = p.estimate;
  return {
    gpu_backend: p.backend ?? "cpu",
    gpu_note: backendNote(p),
    gpu_devices: p.devices,
    gpu_layers_offloaded: p.gpuLayers,
    layers_total: p.totalLayers,
    memory: {
      ram_bytes: p.need.ramBytes,
      vram_bytes: p.need.vramBytes,
      unified_memory: p.unified,
      model: { ram_bytes: model.cpuRam, vram_bytes: model.gpuVram },
      context: { ram_bytes: context.cpuRam, vram_bytes: context.gpuVram },
      ram_budget_bytes: p.pools.ramBudgetBytes,
      vram_budget_bytes: p.pools.vramBudgetBytes,
    },
  };
}
