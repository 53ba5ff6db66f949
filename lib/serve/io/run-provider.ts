/**
 * serve's lifecycle: preflight, bind, load, attach, and SIGTERM/SIGINT drain (SRV-7). Prints JSON
 * lines on stdout (`listening`, then `ready`); logs go to stderr.
 */
import { logger } from "../../cli/io/logger.ts";
import { reportError } from "../../cli/io/run-script.ts";
import { ConfigError, describeSource } from "../../config/resolve-serve-config.ts";
import { offloadLine } from "../../engine/describe-offload.ts";
import { knobDef } from "../plan-serve.ts";
import { prepareServe, type PreparedServe, type ServeInputs } from "./prepare-serve.ts";
import { loadProviderEngine } from "./provider-engine.ts";
import { startProviderServer, type ProviderServer } from "./provider-server.ts";

export async function runProvider(inputs: ServeInputs, verbose: boolean): Promise<void> {
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

  const prepared = await prepareServe(inputs);
  const { plan, llama } = prepared;
  for (const warning of prepared.warnings) logger.warn(warning);
  graceMs = prepared.config.values.graceMs;
  server = bind(prepared);
  print({ event: "listening", url: server.url });
  logger.info(`listening on ${server.url} (loading ${plan.modelPath})`);

  const started = performance.now();
  let engine;
  try {
    engine = await loadProviderEngine(llama, plan.modelPath, plan.knobs, prepared.config.values.maxQueue, { alreadyChecked: true, maxTokenBytes: plan.maxTokenBytes });
  } catch (error) {
    // The server holds the event loop open; a failed load must end the process.
    await server.drain(0);
    process.exit(reportError(error, verbose));
  }
  if (stopping) return; // a signal came during the load: the drain owns the exit
  server.attach(engine);
  const loadMs = Math.round(performance.now() - started);
  const { knobs, offload } = plan;
  if (engine.model.gpuLayers !== offload.gpuLayers) logger.warn(`llama.cpp offloaded ${engine.model.gpuLayers} layers, not the ${offload.gpuLayers} planned`);
  const gpu = { backend: offload.backend ?? "cpu", devices: offload.devices, gpu_layers: engine.model.gpuLayers, layers_total: offload.totalLayers, ram_bytes: offload.need.ramBytes, vram_bytes: offload.need.vramBytes };
  print({ event: "ready", url: server.url, model: engine.modelId, load_ms: loadMs, knobs, gpu });
  logger.success(`ready: ${engine.modelId} in ${loadMs} ms — max batch ${knobs.maxBatch}, context ${knobs.maxContext} (${plan.contextSource}), kv ${knobs.kvBits ?? "F16"}, ${knobs.threads} thread(s), ${plan.capacity.engine_build} llama.cpp on ${offloadLine(offload)}`);
}

/**
 * Binds the server. Every bind failure is a config error (78) naming the knob: the port when it is
 * taken or privileged, else the host (not an address of this machine, or a name that does not
 * resolve: Bun says EADDRNOTAVAIL, EINVAL, ENOENT or ENOTFOUND depending on the resolver).
 */
function bind({ config: { values, sources }, yamlPath, plan }: PreparedServe): ProviderServer {
  try {
    return startProviderServer({ host: values.host, port: values.port, apiKey: values.apiKey, capacity: plan.capacity });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    const port = describeSource(knobDef("port"), sources.port, yamlPath);
    if (code === "EADDRINUSE") throw new ConfigError(`${port}: port ${values.port} on ${values.host} is already in use`);
    if (code === "EACCES") throw new ConfigError(`${port}: port ${values.port} needs privileges this process lacks (EACCES)`);
    const host = describeSource(knobDef("host"), sources.host, yamlPath);
    throw new ConfigError(`${host}: cannot listen on ${JSON.stringify(values.host)} port ${values.port}: not an address of this machine, or a name that does not resolve (${code})`);
  }
}

function print(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc) + "\n");
}
