import { describe, expect, test } from "bun:test";
import { resolveServeConfig, type ConfigInputs } from "../../../lib/config/resolve-serve-config.ts";
import type { EngineKnobs } from "../../../lib/engine/engine-knobs.ts";
import type { GpuFacts } from "../../../lib/engine/gpu-backend.ts";
import type { OffloadEstimate } from "../../../lib/engine/offload-memory.ts";
import { planServe, type ServePlanInputs } from "../../../lib/serve/plan-serve.ts";
import { servedModelPath } from "../../../lib/serve/served-model-path.ts";

const GiB = 1024 ** 3;
const integrity = { file: "/m/fx.gguf", architecture: "llama", tensors: 10, vocabSize: 500, trainContext: 32768, fileSize: 1e6, tokenizerModel: "llama", longestTokenBytes: 12 };
/** A model of 100 MB plus 1 KiB of context per token and sequence. */
const linearEstimate = async (k: EngineKnobs) => 100e6 + k.maxContext * k.maxBatch * 1024;
const cpuEstimate = async (k: EngineKnobs): Promise<OffloadEstimate> => ({ model: { cpuRam: 100e6, gpuVram: 0 }, context: { cpuRam: k.maxContext * k.maxBatch * 1024, gpuVram: 0 } });
const CPU: GpuFacts = { backend: null, supportsOffloading: false, devices: [], vram: { total: 0, free: 0, unifiedSize: 0 }, vramPaddingBytes: 0, useMmap: true };

function inputs(config: Partial<ConfigInputs> = {}, over: Partial<ServePlanInputs> = {}): ServePlanInputs {
  return {
    config: resolveServeConfig({ cli: {}, env: {}, yaml: null, yamlPath: "/etc/mp.yaml", ...config }),
    yamlPath: "/etc/mp.yaml",
    machine: { totalRamBytes: 24 * GiB, physicalCores: 2, usableCpus: 2 },
    modelPath: "/m/fx.gguf",
    model: { state: "ok", integrity },
    gpuSupport: { platform: "linux", arch: "x64", usable: [] },
    engine: { ok: true, build: "prebuilt", gpu: CPU },
    resolveGpuLayers: async () => ({ gpuLayers: 0, totalLayers: 11 }),
    estimate: cpuEstimate,
    ...over,
  };
}

describe("planServe()", () => {
  const refused: [string, ServePlanInputs, RegExp][] = [
    ["a missing model file", inputs({ cli: { model: "/m/fx.gguf" } }, { model: { state: "missing" } }), /^--model \(CLI\): model file \/m\/fx\.gguf does not exist$/],
    ["a model failing the integrity check", inputs({ env: { MACPROVIDER_MODEL: "x" } }, { model: { state: "defective", message: "model file x failed the integrity check (bad_magic): …" } }), /^MACPROVIDER_MODEL \(env\): model file x failed the integrity check \(bad_magic\)/],
    ["an engine that cannot be opened", inputs({ yaml: { engine: "local" } }, { engine: { ok: false, message: "engine local: no local llama.cpp build exists" } }), /^engine in \/etc\/mp\.yaml: engine local: no local llama\.cpp build exists$/],
    ["a max context over the trained context", inputs({ cli: { maxContext: "40000" } }), /^--max-context \(CLI\): max context 40000 exceeds the model's trained context 32768/],
    ["a max context over the memory budget", inputs({ cli: { maxContext: "30000", maxBatch: "256" } }, { machine: { totalRamBytes: 8 * GiB, physicalCores: 2, usableCpus: 2 } }), /^--max-context \(CLI\): max context 30000 needs about 7\.42 GiB, over the memory budget of 6\.80 GiB \(with max batch 256/],
    ["a default context that fits nowhere", inputs({}, { estimate: async () => ({ model: { cpuRam: 100 * GiB, gpuVram: 0 }, context: { cpuRam: 0, gpuVram: 0 } }) }), /^the default context: even a 256-token context needs about 100\.00 GiB/],
  ];
  test.each(refused)("planServe() refuses %s with one line naming the source", async (_, given, message) => {
    const error = await planServe(given).then(() => null, (e: Error) => e);
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toMatch(message);
  });

  test("planServe() caps the RAM-tier default by the trained context and says so", async () => {
    const plan = await planServe(inputs());
    expect(plan.knobs.maxContext).toBe(32768); // 24 GiB → tier 50000, trained 32768
    expect(plan.contextSource).toBe("default, capped by trained context");
    expect(plan.capacity).toMatchObject({ model: "fx", max_context: 32768, max_batch: 1, engine_build: "prebuilt" });
  });

  test.each([
    ["a SentencePiece vocabulary", "llama", 12],
    ["a byte-level BPE vocabulary", "gpt2", 12],
    ["a normalizing tokenizer (no bound)", "ugm", null],
  ] as const)("planServe() bounds prompt tokens by the longest token for %s", async (_, tokenizerModel, expected) => {
    const plan = await planServe(inputs({}, { model: { state: "ok", integrity: { ...integrity, tokenizerModel } } }));
    expect(plan.maxTokenBytes).toBe(expected);
  });

  test("planServe() caps the default by memory to a multiple of 256", async () => {
    const plan = await planServe(inputs({ cli: { maxBatch: "128" } }, { machine: { totalRamBytes: 2 * GiB, physicalCores: 2, usableCpus: 2 } }));
    expect(plan.contextSource).toBe("default, capped by memory");
    expect(plan.knobs.maxContext % 256).toBe(0);
    expect(await linearEstimate(plan.knobs)).toBeLessThanOrEqual(Math.floor(2 * GiB * 0.85));
    expect(await linearEstimate({ ...plan.knobs, maxContext: plan.knobs.maxContext + 256 })).toBeGreaterThan(Math.floor(2 * GiB * 0.85));
  });

  test.each([
    ["no threads given: the physical cores", {}, { physicalCores: 4, usableCpus: 8 }, 4],
    ["no threads given: never more than the usable CPUs", {}, { physicalCores: 8, usableCpus: 2 }, 2],
    ["threads given", { threads: "3" }, { physicalCores: 2, usableCpus: 2 }, 3],
  ] as const)("planServe() threads: %s", async (_, cli, cores, threads) => {
    const plan = await planServe(inputs({ cli }, { machine: { totalRamBytes: 24 * GiB, ...cores } }));
    expect(plan.knobs.threads).toBe(threads);
  });

  test("planServe() reports where every knob came from in the capacity document", async () => {
    const plan = await planServe(inputs({ cli: { kvBits: "8", maxContext: "4096" }, env: { MACPROVIDER_MAX_BATCH: "2" }, yaml: { threads: 1 } }));
    expect(plan.knobs).toEqual({ kvBits: 8, maxContext: 4096, maxBatch: 2, threads: 1, flashAttention: "auto" });
    expect(plan.capacity.sources).toMatchObject({ kv_bits: "cli", max_context_override: "cli", max_concurrency_override: "env", threads: "yaml", port: "default" });
  });
});

describe("servedModelPath()", () => {
  const where = { home: "/home/op", cwd: "/work/dir" };
  const config = (model: string, source: "cli" | "yaml") =>
    resolveServeConfig(source === "cli" ? { cli: { model }, env: {}, yaml: null } : { cli: {}, env: {}, yaml: { model } });
  test.each([
    ["an absolute path as it is", "/models/a.gguf", "cli", "/models/a.gguf"],
    ["~ to the home folder", "~/models/a.gguf", "cli", "/home/op/models/a.gguf"],
    ["a CLI relative path against the working folder", "models/../a.gguf", "cli", "/work/dir/a.gguf"],
    ["a YAML relative path against the config file's folder", "./models/a.gguf", "yaml", "/etc/macprovider/models/a.gguf"],
  ] as const)("servedModelPath() resolves %s", (_, model, source, expected) => {
    expect(servedModelPath(config(model, source), "/etc/macprovider/config.yaml", where)).toBe(expected);
  });

  test("servedModelPath() refuses no model at all, naming the three ways to give one", () => {
    expect(() => servedModelPath(resolveServeConfig({ cli: {}, env: {}, yaml: null }), "/c.yaml", where)).toThrow(/no model given; pass --model PATH, set MACPROVIDER_MODEL, or put model: in the config file/);
  });
});
