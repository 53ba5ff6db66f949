/**
 * planServe() with an accelerator: the gpu knob against what the machine has, and the context fit
 * with node-llama-cpp's RAM and VRAM estimates as plain numbers (a model whose weights and KV cache
 * split between the pools by the share of layers offloaded).
 */
import { describe, expect, test } from "bun:test";
import { resolveServeConfig, type ConfigInputs } from "../../../lib/config/resolve-serve-config.ts";
import type { EngineKnobs, GpuLayersChoice } from "../../../lib/engine/engine-knobs.ts";
import type { GpuFacts, GpuSupport } from "../../../lib/engine/gpu-backend.ts";
import type { OffloadEstimate } from "../../../lib/engine/offload-memory.ts";
import { planServe, type ServePlanInputs } from "../../../lib/serve/plan-serve.ts";

const GiB = 1024 ** 3;
const LAYERS = 33;
const integrity = { file: "/m/q.gguf", architecture: "llama", tensors: 10, vocabSize: 500, trainContext: 131072, fileSize: 1e9, tokenizerModel: "gpt2", longestTokenBytes: 16 };
const LINUX_CPU: GpuSupport = { platform: "linux", arch: "x64", usable: [] };
const LINUX_CUDA: GpuSupport = { platform: "linux", arch: "x64", usable: ["cuda", "vulkan"] };
const APPLE: GpuSupport = { platform: "mac", arch: "arm64", usable: ["metal"] };
const CPU: GpuFacts = { backend: null, supportsOffloading: false, devices: [], vram: { total: 0, free: 0, unifiedSize: 0 }, vramPaddingBytes: 0, useMmap: true };
/** A 24 GiB card with 20 GiB free; node-llama-cpp keeps 1 GiB of it. */
const H24: GpuFacts = { backend: "cuda", supportsOffloading: true, devices: ["NVIDIA L4"], vram: { total: 24 * GiB, free: 20 * GiB, unifiedSize: 0 }, vramPaddingBytes: GiB, useMmap: true };
/** A 16 GiB Apple silicon Mac: Metal's working set is 12 GiB of the same RAM. */
const M16: GpuFacts = { backend: "metal", supportsOffloading: true, devices: ["Apple M2"], vram: { total: 12 * GiB, free: 12 * GiB, unifiedSize: 12 * GiB }, vramPaddingBytes: 0, useMmap: true };

/** 8 GiB of weights and 128 KiB of KV per token, split by the share of layers offloaded. */
function splitEstimate(modelBytes = 8 * GiB) {
  return async (k: EngineKnobs, layers: number): Promise<OffloadEstimate> => {
    const share = layers / LAYERS;
    const ctx = k.maxContext * k.maxBatch * 128 * 1024;
    return { model: { cpuRam: modelBytes * (1 - share), gpuVram: modelBytes * share }, context: { cpuRam: ctx * (1 - share), gpuVram: ctx * share } };
  };
}

function inputs(config: Partial<ConfigInputs>, support: GpuSupport, gpu: GpuFacts, over: Partial<ServePlanInputs> = {}): ServePlanInputs & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    config: resolveServeConfig({ cli: {}, env: {}, yaml: null, ...config }),
    yamlPath: "/etc/mp.yaml",
    machine: { totalRamBytes: 16 * GiB, physicalCores: 8, usableCpus: 8 },
    modelPath: "/m/q.gguf",
    model: { state: "ok", integrity },
    gpuSupport: support,
    engine: { ok: true, build: "prebuilt", gpu },
    async resolveGpuLayers(choice: GpuLayersChoice, _knobs: EngineKnobs, fitContext: number | null) {
      asked.push({ choice, fitContext });
      return { gpuLayers: choice === "max" || choice === "auto" ? LAYERS : Math.min(choice, LAYERS), totalLayers: LAYERS };
    },
    estimate: splitEstimate(),
    ...over,
  };
}

describe("planServe() and the gpu knob", () => {
  test.each([
    ["--gpu cuda on a machine without a GPU", { cli: { gpu: "cuda" } }, LINUX_CPU,
      /^--gpu \(CLI\): gpu cuda: node-llama-cpp finds no usable CUDA here \(NVIDIA driver and CUDA runtime libraries\); this machine has the CPU only \(allowed here: auto, off\)$/],
    ["--gpu metal on Linux", { cli: { gpu: "metal" } }, LINUX_CPU,
      /^--gpu \(CLI\): gpu metal: Metal needs macOS on Apple silicon, this is linux x64; this machine has the CPU only \(allowed here: auto, off\)$/],
    ["MACPROVIDER_GPU=vulkan where only CUDA is usable", { env: { MACPROVIDER_GPU: "vulkan" } }, { ...LINUX_CUDA, usable: ["cuda"] } as GpuSupport,
      /^MACPROVIDER_GPU \(env\): gpu vulkan: .*; this machine has CUDA and the CPU \(allowed here: auto, off, cuda\)$/],
    ["gpu: cuda in YAML on a Mac", { yaml: { gpu: "cuda" }, yamlPath: "/etc/mp.yaml" }, APPLE,
      /^gpu in \/etc\/mp\.yaml: gpu cuda: .*; this machine has Metal and the CPU \(allowed here: auto, off, metal\)$/],
  ] as const)("planServe() refuses %s in one line naming what the machine has", async (_, config, support, message) => {
    const given = inputs(config as Partial<ConfigInputs>, support, CPU, { engine: null });
    const error = await planServe(given).then(() => null, (e: Error) => e);
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toMatch(message);
  });

  test("planServe() names --gpu when the backend's binary does not load", async () => {
    const engine = { ok: false as const, message: "gpu cuda: node-llama-cpp's CUDA binary does not load on this machine", knob: "gpu" as const };
    const error = await planServe(inputs({ cli: { gpu: "cuda" } }, LINUX_CUDA, CPU, { engine })).then(() => null, (e: Error) => e);
    expect(error?.message).toBe("--gpu (CLI): gpu cuda: node-llama-cpp's CUDA binary does not load on this machine");
  });

  test("planServe() with gpu auto on a CPU-only machine runs on the CPU and says so", async () => {
    const given = inputs({}, LINUX_CPU, CPU);
    const plan = await planServe(given);
    expect(given.asked).toEqual([{ choice: 0, fitContext: null }]);
    expect(plan.offload).toMatchObject({ backend: null, gpuLayers: 0 });
    expect(plan.capacity).toMatchObject({ gpu: "auto", gpu_layers: "auto", gpu_backend: "cpu", gpu_note: "gpu auto: node-llama-cpp detects no GPU, so the CPU", gpu_layers_offloaded: 0, gpu_devices: [] });
    expect(plan.capacity.sources).toMatchObject({ gpu: "default", gpu_layers: "default" });
  });

  test("planServe() passes the gpu_layers knob on, with the operator's window in tokens", async () => {
    const given = inputs({ cli: { gpuLayers: "20", maxContext: "4096", maxBatch: "2" } }, LINUX_CUDA, H24);
    const plan = await planServe(given);
    expect(given.asked).toEqual([{ choice: 20, fitContext: 8192 }]);
    expect(plan.offload.gpuLayers).toBe(20);
    expect(plan.capacity).toMatchObject({ gpu_layers: 20, gpu_layers_offloaded: 20, layers_total: 33, gpu_backend: "cuda", gpu_devices: ["NVIDIA L4"] });
  });

  test("planServe() with gpu off on Apple silicon offloads nothing (the Metal binary is the only one)", async () => {
    const given = inputs({ cli: { gpu: "off" } }, APPLE, M16);
    const plan = await planServe(given);
    expect(given.asked).toEqual([{ choice: 0, fitContext: null }]);
    expect(plan.capacity.gpu_note).toBe("gpu off: no layers offloaded (the Metal binary is the only one here)");
  });
});

describe("planServe() memory truth with a GPU", () => {
  test("planServe() caps the default context by free VRAM less node-llama-cpp's padding", async () => {
    const plan = await planServe(inputs({}, LINUX_CUDA, H24, { machine: { totalRamBytes: 64 * GiB, physicalCores: 8, usableCpus: 8 } }));
    // 19 GiB of VRAM for 8 GiB of weights leaves 11 GiB = 90112 tokens of 128 KiB; the 64 GiB tier asks 200000, trained 131072.
    expect(plan.knobs.maxContext).toBe(90112);
    expect(plan.contextSource).toBe("default, capped by VRAM");
    expect(plan.offload.need).toEqual({ vramBytes: 19 * GiB, ramBytes: 0 });
    expect(plan.capacity.memory).toMatchObject({ vram_bytes: 19 * GiB, ram_bytes: 0, unified_memory: false, vram_budget_bytes: 19 * GiB });
  });

  test("planServe() refuses an operator's window VRAM cannot hold, naming the pool and the offload", async () => {
    const error = await planServe(inputs({ cli: { maxContext: "100000" } }, LINUX_CUDA, H24)).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^--max-context \(CLI\): VRAM: max context 100000 needs about 20\.21 GiB, over the VRAM budget of 19\.00 GiB; fewer --gpu-layers leave more VRAM for the context \(with max batch 1, kv bits none, 33\/33 layers on the GPU\)$/);
  });

  test("planServe() on unified memory counts the GPU's bytes once, in RAM, and holds them to Metal's working set", async () => {
    // 16 GiB RAM → 13.6 GiB budget; 8 GiB of weights counted twice (RAM + VRAM) would leave no room for the tier's 50000 tokens.
    const plan = await planServe(inputs({}, APPLE, M16));
    expect(plan.knobs.maxContext).toBe(32768); // 4 GiB of Metal working set left: 32768 tokens
    expect(plan.contextSource).toBe("default, capped by VRAM");
    expect(plan.offload.need).toEqual({ vramBytes: 12 * GiB, ramBytes: 12 * GiB });
    expect(plan.capacity.memory).toMatchObject({ unified_memory: true, ram_bytes: 12 * GiB, vram_bytes: 12 * GiB });
  });

  test("planServe() holds the RAM part of a partial offload to the RAM budget", async () => {
    const given = inputs({ cli: { gpuLayers: "11" } }, LINUX_CUDA, H24, { machine: { totalRamBytes: 8 * GiB, physicalCores: 8, usableCpus: 8 }, estimate: splitEstimate(12 * GiB) });
    const error = await planServe(given).then(() => null, (e: Error) => e);
    // 22 of 33 layers' share of 12 GiB stay in RAM: 8 GiB, over the 6.8 GiB budget before any context.
    expect(error?.message).toBe("the default context: RAM: even a 256-token context needs about 8.02 GiB, over the RAM budget of 6.80 GiB (with max batch 1, kv bits none, 11/33 layers on the GPU)");
  });

  test("planServe() caps a partial offload by whichever pool fills first", async () => {
    const given = inputs({ cli: { gpuLayers: "11", maxBatch: "4" } }, LINUX_CUDA, H24, { machine: { totalRamBytes: 12 * GiB, physicalCores: 8, usableCpus: 8 }, estimate: splitEstimate(12 * GiB) });
    const plan = await planServe(given);
    // RAM: 10.2 GiB budget − 8 GiB of weights, at 4 × 2/3 of 128 KiB per token → 6758 tokens, cut to a multiple of 256.
    expect(plan.knobs.maxContext).toBe(6656);
    expect(plan.contextSource).toBe("default, capped by memory");
    expect(plan.offload.need.vramBytes).toBeLessThan(plan.offload.pools.vramBudgetBytes);
  });
});
