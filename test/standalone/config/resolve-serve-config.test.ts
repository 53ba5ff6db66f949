import { describe, expect, test } from "bun:test";
import { ConfigError, resolveServeConfig, type ConfigInputs } from "../../../lib/config/resolve-serve-config.ts";
import { SERVE_KNOBS, type KnobName } from "../../../lib/config/serve-knobs.ts";

const none: ConfigInputs = { cli: {}, env: {}, yaml: null };

// One distinct valid value per layer for each knob: [cli, env, yaml (as YAML would hold it), parsed cli, parsed env, parsed yaml].
const LAYERS: Record<KnobName, [string, string, unknown, unknown, unknown, unknown]> = {
  model: ["/cli.gguf", "/env.gguf", "/yaml.gguf", "/cli.gguf", "/env.gguf", "/yaml.gguf"],
  kvBits: ["4", "8", 4, 4, 8, 4],
  maxContext: ["1000", "2000", 3000, 1000, 2000, 3000],
  maxBatch: ["2", "3", 4, 2, 3, 4],
  threads: ["1", "2", 3, 1, 2, 3],
  flashAttention: ["on", "off", "auto", "on", "off", "auto"],
  engine: ["local", "prebuilt", "auto", "local", "prebuilt", "auto"],
  gpu: ["metal", "cuda", "vulkan", "metal", "cuda", "vulkan"],
  gpuLayers: ["max", "12", 20, "max", 12, 20],
  host: ["0.0.0.0", "::1", "localhost", "0.0.0.0", "::1", "localhost"],
  port: ["1", "2", 3, 1, 2, 3],
  apiKey: ["k-cli", "k-env", "k-yaml", "k-cli", "k-env", "k-yaml"],
  maxQueue: ["0", "5", 6, 0, 5, 6],
  graceMs: ["10", "20", 30, 10, 20, 30],
};

describe("resolveServeConfig() precedence", () => {
  for (const def of SERVE_KNOBS) {
    const [cli, env, yaml, pCli, pEnv, pYaml] = LAYERS[def.name];
    const all: ConfigInputs = { cli: { [def.name]: cli }, env: { [def.env]: env }, yaml: { [def.yaml]: yaml } };
    test.each([
      ["CLI over env and YAML", all, pCli, "cli"],
      ["env over YAML", { ...all, cli: {} }, pEnv, "env"],
      ["YAML over default", { ...all, cli: {}, env: {} }, pYaml, "yaml"],
      ["default alone", none, def.default, "default"],
    ] as const)(`resolveServeConfig() ${def.name}: %s`, (_, inputs, value, source) => {
      const { values, sources } = resolveServeConfig(inputs);
      expect(values[def.name]).toEqual(value as never);
      expect(sources[def.name]).toBe(source);
    });
  }

  test("resolveServeConfig() ignores an empty env value", () => {
    const { values, sources } = resolveServeConfig({ cli: {}, env: { MACPROVIDER_MAX_BATCH: "" }, yaml: { max_concurrency_override: 3 } });
    expect(values.maxBatch).toBe(3);
    expect(sources.maxBatch).toBe("yaml");
  });

  test("resolveServeConfig() lets the CLI unset a YAML kv_bits with none", () => {
    expect(resolveServeConfig({ cli: { kvBits: "none" }, env: {}, yaml: { kv_bits: 8 } }).values.kvBits).toBeNull();
  });

  test.each([
    ["YAML false as off", { gpu: false }, { gpu: "off", gpuLayers: "auto" }],
    ["cpu as off", { gpu: "cpu" }, { gpu: "off", gpuLayers: "auto" }],
    ["a YAML layer count", { gpu_layers: 0 }, { gpu: "auto", gpuLayers: 0 }],
    ["words in any case", { gpu: "CUDA", gpu_layers: "Max" }, { gpu: "cuda", gpuLayers: "max" }],
    ["nothing as auto and auto", {}, { gpu: "auto", gpuLayers: "auto" }],
  ] as const)("resolveServeConfig() reads gpu and gpu_layers: %s", (_, yaml, expected) => {
    expect(resolveServeConfig({ cli: {}, env: {}, yaml: { ...yaml } }).values).toMatchObject(expected);
  });

  test("resolveServeConfig() reads YAML null as unset", () => {
    expect(resolveServeConfig({ cli: {}, env: {}, yaml: { kv_bits: null, max_context_override: null } }).values).toMatchObject({ kvBits: null, maxContext: null });
  });
});

describe("resolveServeConfig() rejections", () => {
  test.each([
    [{ ...none, cli: { kvBits: "7" } }, /^--kv-bits \(CLI\) has invalid value "7"; allowed: 4, 8 or none/],
    [{ ...none, cli: { maxContext: "0" } }, /^--max-context \(CLI\) has invalid value "0"; allowed: an integer from 1 up/],
    [{ ...none, cli: { maxBatch: "0" } }, /^--max-batch \(CLI\) has invalid value "0"; allowed: an integer from 1 to 256/],
    [{ ...none, cli: { threads: "1.5" } }, /^--threads \(CLI\) has invalid value "1.5"/],
    [{ ...none, env: { MACPROVIDER_MAX_BATCH: "abc" } }, /^MACPROVIDER_MAX_BATCH \(env\) has invalid value "abc"/],
    [{ ...none, env: { MACPROVIDER_PORT: "70000" } }, /^MACPROVIDER_PORT \(env\) has invalid value "70000"; allowed: an integer from 0 to 65535/],
    [{ ...none, yaml: { kv_bits: 16 }, yamlPath: "/etc/c.yaml" }, /^kv_bits in \/etc\/c\.yaml has invalid value 16/],
    [{ ...none, yaml: { threads: "two" } }, /^threads in the config file has invalid value "two"/],
    [{ ...none, cli: { flashAttention: "yes" } }, /allowed: auto, on or off/],
    [{ ...none, env: { MACPROVIDER_ENGINE: "cuda" } }, /^MACPROVIDER_ENGINE \(env\) has invalid value "cuda"; allowed: auto, prebuilt or local/],
    [{ ...none, cli: { gpu: "rocm" } }, /^--gpu \(CLI\) has invalid value "rocm"; allowed: auto, off, metal, cuda or vulkan$/],
    [{ ...none, cli: { gpuLayers: "-1" } }, /^--gpu-layers \(CLI\) has invalid value "-1"; allowed: auto, max or an integer from 0 up$/],
    [{ ...none, env: { MACPROVIDER_GPU_LAYERS: "all" } }, /^MACPROVIDER_GPU_LAYERS \(env\) has invalid value "all"; allowed: auto, max or an integer from 0 up$/],
    [{ ...none, yaml: { gpu_layers: 2.5 }, yamlPath: "/etc/c.yaml" }, /^gpu_layers in \/etc\/c\.yaml has invalid value 2\.5; allowed: auto, max or an integer from 0 up$/],
    [{ ...none, yaml: { gpu: true }, yamlPath: "/etc/c.yaml" }, /^gpu in \/etc\/c\.yaml has invalid value true; allowed: auto, off, metal, cuda or vulkan$/],
    // An API key set but empty is refused wherever it comes from, never read as "no auth".
    [{ ...none, cli: { apiKey: "" } }, /^--api-key \(CLI\) has invalid value ""; allowed: a non-empty string/],
    [{ ...none, env: { MACPROVIDER_API_KEY: "" } }, /^MACPROVIDER_API_KEY \(env\) has invalid value ""; allowed: a non-empty string/],
    [{ ...none, yaml: { api_key: null }, yamlPath: "/etc/c.yaml" }, /^api_key in \/etc\/c\.yaml has invalid value null; allowed: a non-empty string/],
  ])("resolveServeConfig() rejects %o naming knob, value, source and what is allowed", (inputs, message) => {
    const error = (() => { try { resolveServeConfig(inputs as ConfigInputs); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(78);
    expect((error as Error).message).toMatch(message);
  });
});
