/**
 * `bun scripts/serve.ts --model M [knobs]`: the OpenAI-compatible provider (SRV-1…8). Knobs resolve
 * CLI > env > YAML > default and are checked before anything loads (CFG-2: exit 78).
 */
import { existsSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { defineCommand, type ArgsDef } from "citty";
import { checkGgufIntegrity } from "../lib/gguf/io/check-gguf-integrity.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { describeEngine, EngineUnavailableError, openEngine } from "../lib/engine/io/open-engine.ts";
import type { EngineKnobs } from "../lib/engine/engine-knobs.ts";
import { estimateMemory } from "../lib/engine/io/estimate-memory.ts";
import { ContextFitError, fitMaxContext } from "../lib/serve/fit-max-context.ts";
import { loadYamlConfig } from "../lib/config/io/load-yaml-config.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { configPath } from "../lib/host/io/paths.ts";
import { loadProviderEngine, modelIdFromPath } from "../lib/serve/io/provider-engine.ts";
import { startProviderServer, type ProviderServer } from "../lib/serve/io/provider-server.ts";
import { memoryBudgetBytes } from "../lib/serve/memory-budget.ts";
import { ramTierContext } from "../lib/config/ram-tier-context.ts";
import { ConfigError, describeSource, resolveServeConfig, type KnobSource } from "../lib/config/resolve-serve-config.ts";
import { SERVE_KNOBS, type KnobName, type ServeSettings } from "../lib/config/serve-knobs.ts";
import { reportError, runScript } from "../lib/cli/io/run-script.ts";

const knobArgs = Object.fromEntries(
  SERVE_KNOBS.map((k) => [k.flag, {
    type: "string",
    valueHint: k.allowed,
    description: `${k.description} Env ${k.env}, YAML ${k.yaml}. Defaults to ${k.default === null ? defaultText(k.name) : JSON.stringify(k.default)}.`,
  }]),
) as ArgsDef;

function defaultText(name: KnobName): string {
  if (name === "maxContext") return "the RAM tier (≥60 GiB RAM: 200000, ≥30: 120000, ≥15: 50000, else 20000), capped by the model's trained context and by memory";
  if (name === "threads") return "the physical cores";
  if (name === "kvBits") return "none (F16)";
  return "unset";
}

export const serveCommand = defineCommand({
  meta: { name: "serve", description: "Serve a GGUF model over an OpenAI-compatible HTTP API." },
  args: {
    ...knobArgs,
    config: { type: "string", description: "YAML config file. Env MACPROVIDER_CONFIG. Defaults to $XDG_CONFIG_HOME/macprovider/config.yaml (~/.config/...)." },
    join: { type: "boolean", default: true, description: "Accepted for compatibility with the original deployment's coordinator; has no effect.", negativeDescription: "Do not join a coordinator (always so; autotune passes it)." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    // Signals count from the first moment: before the server exists there is nothing to drain.
    let server: ProviderServer | null = null;
    let stopping = false;
    let graceMs = 30_000; // until the config is read
    const onSignal = async (signal: string) => {
      if (stopping) {
        logger.warn(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      if (!server) process.exit(0);
      logger.info(`${signal}: draining (grace ${graceMs} ms)`);
      const { aborted } = await server.drain(graceMs);
      logger.info(`stopped${aborted ? `, ${aborted} generation(s) aborted at the end of the grace period` : ""}`);
      process.exit(0);
    };
    process.on("SIGTERM", () => void onSignal("SIGTERM"));
    process.on("SIGINT", () => void onSignal("SIGINT"));

    const env = process.env;
    const explicitConfig = (args.config as string | undefined) ?? env.MACPROVIDER_CONFIG;
    const yamlPath = explicitConfig ?? configPath(env);
    const yaml = loadYamlConfig(yamlPath, explicitConfig !== undefined);
    const cli: Partial<Record<KnobName, string>> = {};
    for (const k of SERVE_KNOBS) if (typeof args[k.flag] === "string") cli[k.name] = args[k.flag] as string;
    const { values, sources } = resolveServeConfig({ cli, env, yaml, yamlPath });
    graceMs = values.graceMs;

    // Preflight (CFG-2): everything checkable before a byte of the model is loaded.
    if (values.model === null) throw new ConfigError("model: no model given; pass --model PATH, set MACPROVIDER_MODEL, or put model: in the config file");
    const modelPath = resolveModelPath(values.model, sources.model, yamlPath);
    const modelSource = describeSource(knobDef("model"), sources.model, yamlPath);
    if (!existsSync(modelPath)) throw new ConfigError(`${modelSource}: model file ${modelPath} does not exist`);
    let integrity;
    try {
      integrity = checkGgufIntegrity(modelPath);
    } catch (error) {
      throw new ConfigError(`${modelSource}: ${(error as Error).message}`);
    }

    const machine = detectMachine();
    // Never more than this process may run on (affinity, cgroup limits), whatever the core count.
    const threads = values.threads ?? Math.min(machine.physicalCores, availableParallelism());
    let llama;
    try {
      llama = await openEngine({ engine: values.engine });
    } catch (error) {
      if (!(error instanceof EngineUnavailableError)) throw error;
      throw new ConfigError(`${describeSource(knobDef("engine"), sources.engine, yamlPath)}: ${error.message}`);
    }
    const knobsAt = (maxContext: number): EngineKnobs => ({ kvBits: values.kvBits, maxContext, maxBatch: values.maxBatch, threads, flashAttention: values.flashAttention });
    const memoryBudget = memoryBudgetBytes(machine.totalRamBytes);
    let fit;
    try {
      fit = await fitMaxContext({
        requested: values.maxContext,
        tierDefault: ramTierContext(machine.totalRamBytes),
        trainContext: integrity.trainContext,
        memoryBudgetBytes: memoryBudget,
        estimateBytes: async (c) => (await estimateMemory(llama, modelPath, knobsAt(c))).totalBytes,
      });
    } catch (error) {
      if (!(error instanceof ContextFitError)) throw error;
      const where = sources.maxContext === "default" ? "the default context" : describeSource(knobDef("maxContext"), sources.maxContext, yamlPath);
      throw new ConfigError(`${where}: ${error.message} (with max batch ${values.maxBatch}, kv bits ${values.kvBits ?? "none"})`);
    }
    const knobs = knobsAt(fit.context);
    const contextSource: string = fit.cappedBy ? `default, capped by ${fit.cappedBy.replace("_", " ")}` : sources.maxContext;

    server = startServer(values, sources, yamlPath, {
      model: modelIdFromPath(modelPath),
      max_batch: knobs.maxBatch,
      max_queue: values.maxQueue,
      max_context: knobs.maxContext,
      kv_bits: knobs.kvBits,
      threads: knobs.threads,
      flash_attention: knobs.flashAttention,
      engine: values.engine,
      engine_build: describeEngine(llama).build,
      sources: Object.fromEntries(SERVE_KNOBS.map((k) => [k.yaml, k.name === "maxContext" ? contextSource : sources[k.name]])),
    });
    print({ event: "listening", url: server.url });
    logger.info(`listening on ${server.url} (loading ${modelPath})`);

    const started = performance.now();
    let engine;
    try {
      engine = await loadProviderEngine(llama, modelPath, knobs, values.maxQueue, true);
    } catch (error) {
      // The server holds the event loop open; a failed load must end the process.
      await server.drain(0);
      process.exit(reportError(error, Boolean(args.verbose)));
    }
    if (stopping) return; // a signal came during the load: the drain owns the exit
    server.attach(engine);
    const loadMs = Math.round(performance.now() - started);
    print({ event: "ready", url: server.url, model: engine.modelId, load_ms: loadMs, knobs });
    logger.success(`ready: ${engine.modelId} in ${loadMs} ms — max batch ${knobs.maxBatch}, context ${knobs.maxContext} (${contextSource}), kv ${knobs.kvBits ?? "F16"}, ${knobs.threads} thread(s), ${describeEngine(llama).build} llama.cpp`);
  },
});

/** Binds the server; a port in use or an address that is not this machine's is a config error (78). */
function startServer(values: ServeSettings, sources: Record<KnobName, KnobSource>, yamlPath: string, capacity: Record<string, unknown>): ProviderServer {
  try {
    return startProviderServer({ host: values.host, port: values.port, apiKey: values.apiKey, capacity });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new ConfigError(`${describeSource(knobDef("port"), sources.port, yamlPath)}: port ${values.port} on ${values.host} is already in use`);
    if (code === "EADDRNOTAVAIL" || code === "EACCES") {
      throw new ConfigError(`${describeSource(knobDef("host"), sources.host, yamlPath)}: cannot listen on ${values.host}:${values.port} (${code})`);
    }
    throw error;
  }
}

function knobDef(name: KnobName) {
  return SERVE_KNOBS.find((k) => k.name === name)!;
}

function print(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc) + "\n");
}

/** `~` expands; a relative path in the YAML file is relative to that file, elsewhere to the cwd. */
function resolveModelPath(raw: string, source: KnobSource, yamlPath: string): string {
  const expanded = raw.startsWith("~/") ? resolve(homedir(), raw.slice(2)) : raw;
  if (isAbsolute(expanded)) return expanded;
  return resolve(source === "yaml" ? dirname(yamlPath) : process.cwd(), expanded);
}

if (import.meta.main) await runScript(serveCommand);
