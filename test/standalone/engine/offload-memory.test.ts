import { describe, expect, test } from "bun:test";
import { backendNote, offloadCapacity, offloadLine, type OffloadPlan } from "../../../lib/engine/describe-offload.ts";
import { memoryNeed, memoryShortfall, unifiedRamBytes, vramBudgetBytes, type VramState } from "../../../lib/engine/offload-memory.ts";

const GiB = 2 ** 30;
const DISCRETE: VramState = { total: 24 * GiB, free: 22 * GiB, unifiedSize: 0 };
const APPLE: VramState = { total: 48 * GiB, free: 48 * GiB, unifiedSize: 48 * GiB };
/** A card that borrows up to 8 GiB of system RAM past its own 8 GiB (e.g. an integrated GPU). */
const SHARED: VramState = { total: 16 * GiB, free: 16 * GiB, unifiedSize: 8 * GiB };
const estimate = { model: { cpuRam: GiB, gpuVram: 10 * GiB }, context: { cpuRam: 0.5 * GiB, gpuVram: 2 * GiB } };

describe("memoryNeed()", () => {
  test.each([
    ["discrete VRAM: apart from RAM", DISCRETE, { ramBytes: 1.5 * GiB, vramBytes: 12 * GiB }],
    ["unified memory: the GPU's bytes counted once, in RAM", APPLE, { ramBytes: 13.5 * GiB, vramBytes: 12 * GiB }],
    ["partly shared VRAM: only the part past the card's own", SHARED, { ramBytes: 5.5 * GiB, vramBytes: 12 * GiB }],
    ["no GPU", { total: 0, free: 0, unifiedSize: 0 }, { ramBytes: 1.5 * GiB, vramBytes: 12 * GiB }],
  ] as const)("memoryNeed() with %s", (_, vram, need) => {
    expect(memoryNeed(estimate, vram)).toEqual(need);
  });

  test("unifiedRamBytes() counts VRAM already in use against the card's own memory first", () => {
    expect(unifiedRamBytes(4 * GiB, { total: 16 * GiB, free: 10 * GiB, unifiedSize: 8 * GiB })).toBe(2 * GiB);
  });
});

describe("memoryShortfall()", () => {
  const pools = { ramBudgetBytes: 16 * GiB, vramBudgetBytes: 20 * GiB };
  test.each([
    ["fits both", { ramBytes: 16 * GiB, vramBytes: 20 * GiB }, null],
    ["over VRAM (checked first: fewer layers move bytes to RAM)", { ramBytes: 17 * GiB, vramBytes: 21 * GiB }, { pool: "VRAM", needBytes: 21 * GiB, budgetBytes: 20 * GiB }],
    ["over RAM", { ramBytes: 17 * GiB, vramBytes: 1 }, { pool: "RAM", needBytes: 17 * GiB, budgetBytes: 16 * GiB }],
  ] as const)("memoryShortfall() %s", (_, need, expected) => {
    expect(memoryShortfall(need, pools)).toEqual(expected);
  });

  test("vramBudgetBytes() is the free VRAM less node-llama-cpp's padding, never negative", () => {
    expect(vramBudgetBytes(DISCRETE, GiB)).toBe(21 * GiB);
    expect(vramBudgetBytes({ total: 0, free: 0, unifiedSize: 0 }, GiB)).toBe(0);
  });
});

describe("offloadLine() / offloadCapacity()", () => {
  const plan = (over: Partial<OffloadPlan>): OffloadPlan => ({
    choice: "auto", backend: "cuda", devices: ["NVIDIA H200"], gpuLayers: 33, totalLayers: 33, estimate,
    need: memoryNeed(estimate, DISCRETE), pools: { ramBudgetBytes: 20 * GiB, vramBudgetBytes: 21 * GiB }, unified: false, ...over,
  });

  test.each([
    ["auto on a CPU-only machine", { backend: null, devices: [], gpuLayers: 0, need: { ramBytes: 1.5 * GiB, vramBytes: 0 } }, "CPU (gpu auto: node-llama-cpp detects no GPU, so the CPU), RAM 1.50 GiB"],
    ["off", { choice: "off", backend: null, devices: [], gpuLayers: 0, need: { ramBytes: 0.5 * GiB, vramBytes: 0 } }, "CPU (gpu off: the CPU), RAM 512 MiB"],
    ["a full CUDA offload", {}, "CUDA (NVIDIA H200; gpu auto: CUDA detected), 33/33 layers offloaded, VRAM 12.00 GiB, RAM 1.50 GiB"],
    ["a partial Vulkan offload asked for", { choice: "vulkan", backend: "vulkan", devices: ["AMD Radeon"], gpuLayers: 20 }, "Vulkan (AMD Radeon; gpu vulkan), 20/33 layers offloaded, VRAM 12.00 GiB, RAM 1.50 GiB"],
    ["Metal on unified memory", { backend: "metal", devices: ["Apple M3 Max"], unified: true, need: memoryNeed(estimate, APPLE) }, "Metal (Apple M3 Max; gpu auto: Metal detected), 33/33 layers offloaded, 13.50 GiB unified memory (12.00 GiB of it on the GPU)"],
  ] as const)("offloadLine() says %s", (_, over, line) => {
    expect(offloadLine(plan(over as Partial<OffloadPlan>))).toBe(line);
  });

  test("backendNote() says when off keeps the layers on the CPU of a GPU-only binary", () => {
    expect(backendNote({ choice: "off", backend: "metal" })).toBe("gpu off: no layers offloaded (the Metal binary is the only one here)");
  });

  test("offloadCapacity() reports backend, devices, layers and each part's RAM and VRAM", () => {
    expect(offloadCapacity(plan({}))).toEqual({
      gpu_backend: "cuda", gpu_note: "gpu auto: CUDA detected", gpu_devices: ["NVIDIA H200"], gpu_layers_offloaded: 33, layers_total: 33,
      memory: {
        ram_bytes: 1.5 * GiB, vram_bytes: 12 * GiB, unified_memory: false,
        model: { ram_bytes: GiB, vram_bytes: 10 * GiB }, context: { ram_bytes: 0.5 * GiB, vram_bytes: 2 * GiB },
        ram_budget_bytes: 20 * GiB, vram_budget_bytes: 21 * GiB,
      },
    });
  });
});
