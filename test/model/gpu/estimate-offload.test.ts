/**
 * The offload estimates over node-llama-cpp's own insight objects, with the GPU facts given as data:
 * a CUDA card, a Mac's unified memory, no GPU. No GPU is needed: the insights are read from a real
 * fixture on the CPU engine, and node-llama-cpp's layer resolver takes the VRAM it is told.
 * (On a CPU-only llama.cpp the context's simulation keeps the KV cache in RAM, so these tests hold
 * the weights' split; a GPU machine's simulation splits the context as well.)
 */
import { beforeAll, describe, expect, test } from "bun:test";
import type { GgufInsights, Llama } from "node-llama-cpp";
import type { EngineKnobs } from "../../../lib/engine/engine-knobs.ts";
import type { GpuFacts } from "../../../lib/engine/gpu-backend.ts";
import { estimateOffload, modelInsights, resolveGpuLayers } from "../../../lib/engine/io/estimate-memory.ts";
import { estimateNeed } from "../../../lib/engine/io/estimate-need.ts";
import { openEngine } from "../../../lib/engine/io/open-engine.ts";
import { memoryNeed } from "../../../lib/engine/offload-memory.ts";
import { testFixture } from "../../helpers/fixtures.ts";

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const KNOBS: EngineKnobs = { kvBits: null, maxContext: 4096, maxBatch: 1, threads: 1, flashAttention: "auto" };
const gpu = (free: number, over: Partial<GpuFacts> = {}): GpuFacts => ({
  backend: "cuda", supportsOffloading: true, devices: ["test card"], vram: { total: Math.max(free, 24 * GiB), free, unifiedSize: 0 }, vramPaddingBytes: 0, useMmap: true, ...over,
});

let llama: Llama;
let path: string;
let insights: GgufInsights;

beforeAll(async () => {
  llama = await openEngine();
  path = (await testFixture("fx-30m")).path;
  insights = await modelInsights(llama, path);
});

describe("resolveGpuLayers() over node-llama-cpp's insights, VRAM given", () => {
  test("resolveGpuLayers() offloads every layer for max, at most every layer for a count", async () => {
    const total = insights.totalLayers;
    expect(total).toBeGreaterThan(2);
    expect(await resolveGpuLayers(insights, "max", KNOBS, gpu(24 * GiB))).toBe(total);
    expect(await resolveGpuLayers(insights, 2, KNOBS, gpu(24 * GiB))).toBe(2);
    expect(await resolveGpuLayers(insights, 1000, KNOBS, gpu(24 * GiB))).toBe(total);
  });

  test("resolveGpuLayers() auto is node-llama-cpp's fit: every layer in plenty of VRAM, some in a little, none in none", async () => {
    const total = insights.totalLayers;
    expect(await resolveGpuLayers(insights, "auto", KNOBS, gpu(24 * GiB))).toBe(total);
    const some = await resolveGpuLayers(insights, "auto", KNOBS, gpu(12 * MiB));
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(total);
    expect(await resolveGpuLayers(insights, "auto", KNOBS, gpu(0, { vram: { total: 0, free: 0, unifiedSize: 0 } }))).toBe(0);
  });

  test("resolveGpuLayers() auto leaves node-llama-cpp's padding free, as its own load-time fit does", async () => {
    expect(await resolveGpuLayers(insights, "auto", KNOBS, gpu(24 * GiB, { vramPaddingBytes: 24 * GiB }))).toBe(0);
  });

  test("resolveGpuLayers() auto with an operator's window still fits the weights to the VRAM", async () => {
    const layers = await resolveGpuLayers(insights, "auto", KNOBS, gpu(12 * MiB), 4096);
    expect(layers).toBeGreaterThanOrEqual(0);
    expect(layers).toBeLessThan(insights.totalLayers);
  });

  test("resolveGpuLayers() offloads nothing on the CPU or a binary that cannot offload, whatever the choice", async () => {
    expect(await resolveGpuLayers(insights, "max", KNOBS, gpu(24 * GiB, { backend: null }))).toBe(0);
    expect(await resolveGpuLayers(insights, "max", KNOBS, gpu(24 * GiB, { supportsOffloading: false }))).toBe(0);
  });
});

describe("estimateOffload() over node-llama-cpp's insights", () => {
  test("estimateOffload() moves the weights from RAM to VRAM as layers are offloaded, keeping their sum", async () => {
    const total = insights.totalLayers;
    const splits = await Promise.all([0, 2, total].map((n) => estimateOffload(insights, KNOBS, n)));
    const [none, some, all] = splits.map((s) => s.model);
    expect(none!.gpuVram).toBe(0);
    expect(some!.gpuVram).toBeGreaterThan(0);
    expect(all!.gpuVram).toBeGreaterThan(some!.gpuVram);
    expect(all!.cpuRam).toBeLessThan(none!.cpuRam);
    for (const m of [some!, all!]) expect(Math.abs(m.cpuRam + m.gpuVram - none!.cpuRam) / none!.cpuRam).toBeLessThan(0.05);
  });

  test("estimateOffload() with nothing offloaded is the CPU estimate serve always used", async () => {
    const split = await estimateOffload(insights, { ...KNOBS, maxContext: 8192 }, 0);
    expect(split.context.gpuVram).toBe(0);
    expect(split.context.cpuRam).toBeGreaterThan((await estimateOffload(insights, KNOBS, 0)).context.cpuRam);
  });

  test("memoryNeed() over the estimate counts a Mac's offloaded weights once, in RAM", async () => {
    const split = await estimateOffload(insights, KNOBS, insights.totalLayers);
    const discrete = memoryNeed(split, { total: 24 * GiB, free: 24 * GiB, unifiedSize: 0 });
    const unified = memoryNeed(split, { total: 12 * GiB, free: 12 * GiB, unifiedSize: 12 * GiB });
    expect(unified.vramBytes).toBe(discrete.vramBytes);
    expect(unified.ramBytes).toBe(discrete.ramBytes + discrete.vramBytes);
  });
});

describe("estimateNeed() on this machine's engine", () => {
  test("estimateNeed() on a CPU-only machine offloads nothing and needs RAM only", async () => {
    const est = await estimateNeed(llama, path, KNOBS);
    if (llama.gpu !== false) return; // a machine with a GPU: covered by bench/gpu.ts
    expect(est).toMatchObject({ backend: null, gpuLayers: 0, totalLayers: insights.totalLayers, vramBudgetBytes: 0 });
    expect(est.need.vramBytes).toBe(0);
    expect(est.need.ramBytes).toBeGreaterThan(0);
  });
});
