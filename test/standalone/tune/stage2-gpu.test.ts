/**
 * Stage 2 on a machine with a GPU: the gpu_layers axis (default max, absent on the CPU), threads
 * pruned on a full offload, and the backend and offload carried into the cells' serve arguments,
 * the recipe, its hash and the trial rows.
 */
import { describe, expect, test } from "bun:test";
import { cellServeArgs } from "../../../lib/tune/io/measure-cell.ts";
import { defaultStage2Axes, parseStage2Axes } from "../../../lib/tune/parse-stage2-axes.ts";
import { recipeHash } from "../../../lib/tune/recipe-hash.ts";
import { recipeKnobs, serveCommand } from "../../../lib/tune/recommend.ts";
import { cellKey, distinctCells, stage2Cells, type Stage2Cell } from "../../../lib/tune/stage2-cells.ts";
import { stage2TrialRows } from "../../../lib/tune/stage2-trial-rows.ts";
import type { Stage2Document } from "../../../lib/tune/stage2-document.ts";

const CPU = { targetContext: 8192, cores: 4, engines: ["prebuilt" as const] };
const CUDA = { ...CPU, gpu: "cuda" as const };
const base: Stage2Cell = { kv_bits: null, max_batch: 1, max_context: 8192, threads: 4, flash_attention: "on", engine: "prebuilt" };

describe("parseStage2Axes() with a GPU", () => {
  test("parseStage2Axes() defaults gpu_layers to max on the detected backend, and has no GPU axis on the CPU", () => {
    expect(parseStage2Axes({}, CUDA)).toMatchObject({ gpu: "cuda", gpu_layers: ["max"] });
    expect(parseStage2Axes({}, CPU)).not.toHaveProperty("gpu");
    expect(parseStage2Axes({}, { ...CPU, gpu: null })).not.toHaveProperty("gpu_layers");
  });

  test("parseStage2Axes() reads --gpu-layers-axis auto, max and counts", () => {
    expect(parseStage2Axes({ "gpu-layers-axis": "MAX, 20,auto,0" }, CUDA).gpu_layers).toEqual(["max", 20, "auto", 0]);
  });

  test.each([
    [CUDA, "20,,max", '--gpu-layers-axis has an empty cell at position 2 in "20,,max"'],
    [CUDA, "max,max", '--gpu-layers-axis has "max" at position 2 in "max,max", a duplicate'],
    [CUDA, "-1", '--gpu-layers-axis has "-1" at position 1 in "-1"; allowed: auto, max or a layer count from 0 up'],
    [CUDA, "all", '--gpu-layers-axis has "all" at position 1 in "all"; allowed: auto, max or a layer count from 0 up'],
    [CPU, "max", "--gpu-layers-axis needs a GPU, and node-llama-cpp detects none on this machine"],
  ])("parseStage2Axes() refuses %o --gpu-layers-axis %p", (defaults, raw, message) => {
    expect(() => parseStage2Axes({ "gpu-layers-axis": raw }, defaults)).toThrow(message);
  });
});

describe("stage2Cells() with a GPU", () => {
  test("stage2Cells() measures one thread count on a full offload and every count on a partial one", () => {
    const axes = { ...defaultStage2Axes(CUDA), kv_bits: [null], max_batch: [1], flash_attention: ["on" as const], gpu_layers: ["max" as const, 20] };
    const cells = stage2Cells(axes);
    expect(cells.map(cellKey)).toEqual([
      "kv=none fa=on t=4 b=1 ctx=8192 prebuilt cuda gl=max",
      "kv=none fa=on t=1 b=1 ctx=8192 prebuilt cuda gl=20",
      "kv=none fa=on t=2 b=1 ctx=8192 prebuilt cuda gl=20",
      "kv=none fa=on t=3 b=1 ctx=8192 prebuilt cuda gl=20",
      "kv=none fa=on t=4 b=1 ctx=8192 prebuilt cuda gl=20",
    ]);
    expect(distinctCells(cells).length).toBe(5);
  });

  test("stage2Cells() on the default GPU axes is the CPU product without the threads axis", () => {
    const cpu = stage2Cells(defaultStage2Axes(CPU));
    const gpu = stage2Cells(defaultStage2Axes(CUDA));
    expect(gpu.length).toBe(cpu.length / 4);
    expect(gpu.every((c) => c.threads === 4 && c.gpu === "cuda" && c.gpu_layers === "max")).toBe(true);
    expect(cpu.every((c) => !("gpu" in c) && !("gpu_layers" in c))).toBe(true);
  });
});

describe("the recipe with a GPU", () => {
  const cell: Stage2Cell = { ...base, gpu: "cuda", gpu_layers: "max" };

  test("cellServeArgs() names the backend and the offload, and nothing of the kind on the CPU", () => {
    expect(cellServeArgs({ ...cell, gpu_layers: 20 })).toEqual(expect.arrayContaining(["--gpu", "cuda", "--gpu-layers", "20"]));
    expect(cellServeArgs(base).join(" ")).not.toContain("--gpu");
  });

  test("recipeKnobs() and serveCommand() carry gpu and gpu_layers; a CPU recipe leaves them unset", () => {
    expect(recipeKnobs(cell)).toMatchObject({ gpu: "cuda", gpu_layers: "max" });
    expect(serveCommand("/m.gguf", recipeKnobs(cell))).toEndWith("--engine prebuilt --gpu cuda --gpu-layers max");
    expect(recipeKnobs(base)).toMatchObject({ gpu: null, gpu_layers: null });
    expect(serveCommand("/m.gguf", recipeKnobs(base))).not.toContain("--gpu");
  });

  test("recipeHash() tells recipes apart by backend and offload", () => {
    const hash = (c: Stage2Cell) => recipeHash({ machine: { ram_gb: 64 }, inputs: {}, recommendation: { model: "m", knobs: recipeKnobs(c) } });
    const hashes = new Set([hash(base), hash(cell), hash({ ...cell, gpu_layers: 20 }), hash({ ...cell, gpu: "vulkan" })]);
    expect(hashes.size).toBe(4);
  });

  test("stage2TrialRows() stores gpu and gpu_layers as text", () => {
    const summary = { tps_median: 50, ttft_p95_ms: 100, replicates: 1, n_err: 0, feasible: true, reason: null };
    const doc = { run_id: "r", cells: [{ key: cellKey(cell), cell, summary, replicates: [{ ok: true, tps: 50, ttfts_ms: [100], error: null }], kept: true }], search: { noise_floor: 0, tie_band: 0.03, mode: "default", anchor: cellKey(cell) } } as unknown as Stage2Document;
    const rows = stage2TrialRows(doc, "m", [49, 51], "t");
    expect(rows.map((r) => [r.gpu, r.gpu_layers])).toEqual([["cuda", "max"], ["cuda", "max"]]);
  });
});
