import { describe, expect, test } from "bun:test";
import type { GpuChoice } from "../../../lib/engine/engine-knobs.ts";
import { gpuBackendFor, machineHas, type GpuSupport } from "../../../lib/engine/gpu-backend.ts";

const LINUX_CPU: GpuSupport = { platform: "linux", arch: "x64", usable: [] };
const LINUX_CUDA: GpuSupport = { platform: "linux", arch: "x64", usable: ["cuda", "vulkan"] };
const APPLE: GpuSupport = { platform: "mac", arch: "arm64", usable: ["metal"] };
const INTEL_MAC: GpuSupport = { platform: "mac", arch: "x64", usable: [] };

describe("gpuBackendFor()", () => {
  test.each([
    ["auto on a CPU-only machine: node-llama-cpp's detection (the CPU)", "auto", LINUX_CPU, { ok: true, open: "auto", offload: true }],
    ["auto on Apple silicon", "auto", APPLE, { ok: true, open: "auto", offload: true }],
    ["off on Linux: the CPU binary", "off", LINUX_CUDA, { ok: true, open: false, offload: false }],
    ["off on Apple silicon: the Metal binary with nothing offloaded", "off", APPLE, { ok: true, open: "metal", offload: false }],
    ["off on an Intel Mac: the CPU binary", "off", INTEL_MAC, { ok: true, open: false, offload: false }],
    ["cuda where it is usable", "cuda", LINUX_CUDA, { ok: true, open: "cuda", offload: true }],
    ["vulkan where it is usable", "vulkan", LINUX_CUDA, { ok: true, open: "vulkan", offload: true }],
    ["metal on Apple silicon", "metal", APPLE, { ok: true, open: "metal", offload: true }],
  ] as const)("gpuBackendFor() opens %s", (_, choice, support, expected) => {
    expect(gpuBackendFor(choice, support)).toEqual(expected);
  });

  test.each([
    ["cuda", LINUX_CPU, "gpu cuda: node-llama-cpp finds no usable CUDA here (NVIDIA driver and CUDA runtime libraries); this machine has the CPU only (allowed here: auto, off)"],
    ["metal", LINUX_CPU, "gpu metal: Metal needs macOS on Apple silicon, this is linux x64; this machine has the CPU only (allowed here: auto, off)"],
    ["vulkan", LINUX_CPU, "gpu vulkan: node-llama-cpp finds no usable Vulkan here (a Vulkan driver); this machine has the CPU only (allowed here: auto, off)"],
    ["metal", LINUX_CUDA, "gpu metal: Metal needs macOS on Apple silicon, this is linux x64; this machine has CUDA, Vulkan and the CPU (allowed here: auto, off, cuda, vulkan)"],
    ["cuda", APPLE, "gpu cuda: node-llama-cpp finds no usable CUDA here (NVIDIA driver and CUDA runtime libraries); this machine has Metal and the CPU (allowed here: auto, off, metal)"],
    ["metal", INTEL_MAC, "gpu metal: Metal needs macOS on Apple silicon, this is mac x64; this machine has the CPU only (allowed here: auto, off)"],
  ] as const)("gpuBackendFor() refuses %s on %o naming what the machine has", (choice, support, message) => {
    expect(gpuBackendFor(choice as GpuChoice, support)).toEqual({ ok: false, message });
  });

  test("machineHas() lists the usable backends best first, then the CPU", () => {
    expect(machineHas(LINUX_CUDA)).toBe("CUDA, Vulkan and the CPU");
    expect(machineHas(LINUX_CPU)).toBe("the CPU only");
  });
});
