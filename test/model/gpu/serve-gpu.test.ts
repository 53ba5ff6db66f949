/**
 * The gpu knobs as a process on this machine: on a machine without a GPU `auto` serves on the CPU
 * and says so (ready log, /v1/capacity), a named backend it lacks is one line and exit 78 before
 * anything loads, and bench/gpu.ts refuses in one line. On a machine with a GPU the refusals that
 * cannot happen there are skipped; bench/gpu.ts is that machine's check.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { detectGpuSupport } from "../../../lib/engine/io/detect-gpu.ts";
import { REPO_ROOT, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, spawnServe, startServe } from "../../helpers/serve-process.ts";

const support = await detectGpuSupport();
const cpuOnly = support.usable.length === 0;
/** The refusals below are this kind of machine's; elsewhere the same flags may serve. */
const cpuOnlyLinuxX64 = cpuOnly && support.platform === "linux" && support.arch === "x64";

describe("serve --gpu on this machine", () => {
  test.skipIf(!cpuOnly)("gpu auto on a machine without a GPU serves on the CPU and says so", async () => {
    const s = await startServe(["--model", (await testFixture("fx-1m")).path, "--threads", "1", "--max-context", "512", "--gpu-layers", "max"]);
    try {
      const cap: any = await (await fetch(`${s.url}/v1/capacity`)).json();
      expect(cap).toMatchObject({ gpu: "auto", gpu_layers: "max", gpu_backend: "cpu", gpu_layers_offloaded: 0, gpu_layers_loaded: 0, gpu_devices: [] });
      expect(cap.gpu_note).toBe("gpu auto: node-llama-cpp detects no GPU, so the CPU");
      expect(cap.memory.vram_bytes).toBe(0);
      expect(cap.memory.ram_bytes).toBeGreaterThan(0);
      expect(cap.sources).toMatchObject({ gpu: "default", gpu_layers: "cli" });
      expect(s.stderr()).toContain("on CPU (gpu auto: node-llama-cpp detects no GPU, so the CPU), RAM ");
    } finally {
      await s.stop();
    }
  });

  test.skipIf(!cpuOnlyLinuxX64).each([
    ["--gpu cuda", ["--gpu", "cuda"], {}, /^.*--gpu \(CLI\): gpu cuda: node-llama-cpp finds no usable CUDA here .*; this machine has the CPU only \(allowed here: auto, off\)$/],
    ["--gpu metal", ["--gpu", "metal"], {}, /^.*--gpu \(CLI\): gpu metal: Metal needs macOS on Apple silicon, this is linux x64; this machine has the CPU only \(allowed here: auto, off\)$/],
    ["MACPROVIDER_GPU=vulkan", [], { MACPROVIDER_GPU: "vulkan" }, /^.*MACPROVIDER_GPU \(env\): gpu vulkan: node-llama-cpp finds no usable Vulkan here/],
    ["--gpu-layers all", ["--gpu-layers", "all"], {}, /^.*--gpu-layers \(CLI\) has invalid value "all"; allowed: auto, max or an integer from 0 up$/],
  ] as const)("%s on a CPU-only Linux machine exits 78 with one line, nothing loaded", async (_, args, env, message) => {
    const proc = spawnServe(["--model", (await testFixture("fx-1m")).path, "--port", "0", ...args], isolatedEnv(env));
    expect(await proc.exited).toBe(78);
    const err = (await new Response(proc.stderr).text()).trim();
    expect(err).toMatch(message);
    expect(err.split("\n").length).toBe(1);
    expect(await new Response(proc.stdout).text()).toBe("");
  });
});

describe("bench/gpu.ts", () => {
  test.skipIf(!cpuOnly)("bench/gpu.ts on a machine without a GPU exits 69 with one line", async () => {
    const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "bench/gpu.ts")], { env: isolatedEnv(), stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(69);
    const err = (await new Response(proc.stderr).text()).trim();
    expect(err).toMatch(/bench\/gpu: node-llama-cpp detects no GPU on this machine \(the CPU only\); this benchmark compares serve on the GPU with the CPU and needs Metal, CUDA or Vulkan$/);
    expect(err.split("\n").length).toBe(1);
    expect(await new Response(proc.stdout).text()).toBe("");
  });
});
