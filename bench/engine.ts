/**
 * `bun bench/engine.ts [--build-native]`: prefill and decode tok/s of the engine adapter (in-process)
 * and of `serve` (HTTP/SSE, client-side), each on the prebuilt and the local llama.cpp build, against
 * llama-bench and llama-server built natively from the same bundled source — same fixture, same prompt
 * depth, threads 1..cores × flash attention off/on. Replicates interleave across every tool and cell.
 * JSON to bench/results/engine-<fixture>.json.
 * `--aggregate`: the batching table instead (see aggregate.ts): B concurrent streams against serve at
 * `--max-batch B` and llama-server at `-np B`; JSON to bench/results/engine-aggregate-<fixture>-t<threads>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { asUsage } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { probeCompletion } from "../lib/probe/io/probe-completion.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { benchPromptTokens, highByteBans, median, ONE_CONNECTION, startServeOn } from "./_shared.ts";
import { buildNativeTools, nativeTool } from "./native-llama.ts";
import { hasLocalBuild, hostLocalBuildOptions } from "../lib/engine/io/local-builds.ts";
import { runAggregate, SERVE_TOOL_ENV, startLlamaServer, startServe, type AggregateTool } from "./aggregate.ts";

type Cell = { threads: number; flash_attention: boolean };
/** decode_tps is what the client sees; server_decode_tps is the server's own `timings` (servers only). */
type Sample = { tool: string; threads: number; flash_attention: boolean; prefill_tps: number; decode_tps: number; server_decode_tps?: number | null };

export const benchEngine = defineCommand({
  meta: { name: "bench-engine", description: "Engine adapter and serve (prebuilt and local builds) against native llama-bench and llama-server." },
  args: {
    model: { type: "string", description: "Fixture name. Defaults to fx-80m.", default: "fx-80m" },
    "prompt-tokens": { type: "string", description: "Prompt depth in tokens. Defaults to 146.", default: "146" },
    "gen-tokens": { type: "string", description: "Tokens generated per decode measurement. Defaults to 128.", default: "128" },
    replicates: { type: "string", description: "Interleaved rounds. Defaults to 3.", default: "3" },
    threads: { type: "string", description: "Comma list of thread counts. Defaults to 1..physical cores." },
    tools: { type: "string", description: "Comma list of tools to run. Defaults to all: adapter-prebuilt,adapter-local,serve-prebuilt,serve-local,llama-bench,llama-server; with --aggregate serve-prebuilt,serve-local,serve-local-nlc,serve-local-job,llama-server." },
    "build-native": { type: "boolean", description: "Build llama-bench/llama-server from the bundled source first if missing (minutes; never in CI)." },
    aggregate: { type: "boolean", description: "Measure the batching table (B concurrent streams) instead of single-stream prefill/decode." },
    batches: { type: "string", description: "With --aggregate: comma list of B. Defaults to 1,2,4.", default: "1,2,4" },
    tag: { type: "string", description: "Suffix for the results file (e.g. the host: --tag epyc), so runs on several machines sit side by side." },
  },
  async run({ args }) {
    const tag = asUsage(() => resultTag(args.tag));
    const fixture = await fixtureByName(fixturesDir(), args.model);
    if (args.aggregate) return aggregateRun(fixture, args, tag);
    const machine = detectMachine();
    const threads = args.threads
      ? asUsage(() => args.threads!.split(",").map((t) => parseIntegerOption("--threads", t, 1, 1024)))
      : Array.from({ length: defaultThreads(machine) }, (_, i) => i + 1);
    const cells: Cell[] = threads.flatMap((t) => [false, true].map((fa) => ({ threads: t, flash_attention: fa })));
    const promptN = asUsage(() => parseIntegerOption("--prompt-tokens", args["prompt-tokens"], 2));
    const genN = asUsage(() => parseIntegerOption("--gen-tokens", args["gen-tokens"], 2));
    const rounds = asUsage(() => parseIntegerOption("--replicates", args.replicates, 1));
    if (args["build-native"] && (!nativeTool("llama-bench") || !nativeTool("llama-server"))) await buildNativeTools();

    // The prompt as text: it re-tokenizes to the same tokens in every tool (checked via usage below).
    const llama = await openEngine({ engine: "prebuilt" });
    const model = await loadEngineModel(llama, fixture.path);
    const promptText = model.detokenize(benchPromptTokens(model, promptN).slice(1));
    const highBytes = highByteBans(fixture.path);
    await model.dispose();

    const wanted = new Set((args.tools ?? "adapter-prebuilt,adapter-local,serve-prebuilt,serve-local,llama-bench,llama-server").split(","));
    const tools: [string, (cell: Cell[]) => Promise<Sample[]>][] = [];
    for (const engine of ["prebuilt", "local"] as const) {
      if (wanted.has(`adapter-${engine}`)) tools.push([`adapter-${engine}`, (cs) => adapterRun(engine, fixture.path, cs, promptN, genN)]);
      if (wanted.has(`serve-${engine}`)) tools.push([`serve-${engine}`, (cs) => serveRun(engine, fixture.path, cs, promptText, genN, promptN, highBytes)]);
    }
    const bench = nativeTool("llama-bench"), server = nativeTool("llama-server");
    if (wanted.has("llama-bench") && bench) tools.push(["llama-bench", (cs) => llamaBenchRun(bench, fixture.path, cs, promptN, genN)]);
    if (wanted.has("llama-server") && server) tools.push(["llama-server", (cs) => llamaServerRun(server, fixture.path, cs, promptText, genN, highBytes)]);
    if (!bench || !server) logger.warn("native llama-bench/llama-server missing: run with --build-native to include them");

    const samples: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const [name, run] of tools) {
        try {
          const got = await run(cells);
          samples.push(...got);
          logger.info(`round ${r + 1} ${name}: ${got.map((s) => `t${s.threads}/fa${s.flash_attention ? 1 : 0} pp ${s.prefill_tps.toFixed(0)} tg ${s.decode_tps.toFixed(1)}${s.server_decode_tps ? ` (server ${s.server_decode_tps.toFixed(1)})` : ""}`).join(", ")}`);
        } catch (error) {
          logger.warn(`round ${r + 1} ${name} failed: ${(error as Error).message}`);
        }
      }
    }

    const table = summarize(samples);
    const best = (tool: string, key: "prefill_tps" | "decode_tps") => Math.max(0, ...table.filter((t) => t.tool === tool).map((t) => t[key]));
    const ratios: Record<string, number | null> = {};
    for (const tool of ["adapter-prebuilt", "adapter-local", "serve-prebuilt", "serve-local"]) {
      for (const ref of ["llama-server", "llama-bench"]) {
        for (const key of ["decode_tps", "prefill_tps"] as const) {
          const r = best(ref, key);
          ratios[`${tool}/${ref} ${key} (best vs best)`] = r ? best(tool, key) / r : null;
        }
      }
    }
    const result = {
      bench: "engine", date: new Date().toISOString(), machine,
      fixture: { name: fixture.name, params: fixture.params, sha256: fixture.sha256 },
      settings: { prompt_tokens: promptN, gen_tokens: genN, replicates: rounds, kv: "F16", context: 4096, threads },
      medians: table, ratios, samples,
    };
    // A filtered run must not overwrite the full comparison.
    const partial = args.tools || args.threads ? `-partial-${(args.tools ?? "all").replaceAll(",", "+")}-t${threads.join("+")}` : "";
    const file = join(import.meta.dir, "results", `engine-${fixture.name}${partial}${tag}.json`);
    mkdirSync(join(import.meta.dir, "results"), { recursive: true });
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    logger.success(`wrote ${file}`);
    process.stdout.write(JSON.stringify({ medians: table, ratios }, null, 2) + "\n");
  },
});

/** `--aggregate`: B concurrent streams, serve (both builds, when present) against llama-server -np B. */
async function aggregateRun(fixture: { name: string; path: string; params: number; sha256: string }, args: { threads?: string; "gen-tokens": string; replicates: string; batches: string; tools?: string }, tag: string) {
  const threads = args.threads ? asUsage(() => parseIntegerOption("--threads", args.threads!, 1, 1024)) : defaultThreads(detectMachine());
  const batches = asUsage(() => args.batches.split(",").map((b) => parseIntegerOption("--batches", b, 1, 64)));
  const genTokens = asUsage(() => parseIntegerOption("--gen-tokens", args["gen-tokens"], 2));
  const rounds = asUsage(() => parseIntegerOption("--replicates", args.replicates, 1));
  const settings = { batches, threads, genTokens, contextPerSequence: 1024, rounds, repeats: 3 };
  const llama = await openEngine({ engine: "prebuilt" });
  const model = await loadEngineModel(llama, fixture.path);
  // Distinct ~30-token prompts, one per stream, so no slot shares another's prefix.
  const prompts = Array.from({ length: Math.max(...batches) }, (_, i) => model.detokenize(benchPromptTokens(model, 30 - 3).slice(1)) + ` stream ${i}`);
  const highBytes = highByteBans(fixture.path);
  await model.dispose();

  const wanted = new Set((args.tools ?? "serve-prebuilt,serve-local,serve-local-nlc,serve-local-job,llama-server").split(","));
  const tools = new Map<AggregateTool, (batch: number) => ReturnType<typeof startServe>>();
  for (const engine of ["prebuilt", "local"] as const) {
    if (engine === "local" && !hasLocalBuild(hostLocalBuildOptions())) continue;
    for (const [variant, env] of Object.entries(SERVE_TOOL_ENV)) {
      const tool = `serve-${engine}${variant}` as AggregateTool;
      if (wanted.has(tool)) tools.set(tool, (b) => startServe(engine, fixture.path, b, threads, settings.contextPerSequence, env));
    }
  }
  const server = nativeTool("llama-server");
  if (server && wanted.has("llama-server")) tools.set("llama-server", (b) => startLlamaServer(server, fixture.path, { batch: b, threads, contextPerSequence: settings.contextPerSequence, flashAttention: true }));
  if (!server) logger.warn("native llama-server missing: run with --build-native to include it");

  const { samples, table } = await runAggregate(tools, prompts, settings, { logit_bias: highBytes });
  const result = { bench: "engine-aggregate", date: new Date().toISOString(), machine: detectMachine(), fixture: { name: fixture.name, params: fixture.params, sha256: fixture.sha256 }, settings, table, samples };
  const file = join(import.meta.dir, "results", `engine-aggregate-${fixture.name}-t${threads}${args.tools ? "-partial" : ""}${tag}.json`);
  mkdirSync(join(import.meta.dir, "results"), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  logger.success(`wrote ${file}`);
  process.stdout.write(JSON.stringify(table, null, 2) + "\n");
}

/** `--tag` as a file-name suffix ("" without one). */
function resultTag(tag: string | undefined): string {
  if (tag === undefined) return "";
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(tag)) throw new Error(`--tag has invalid value ${JSON.stringify(tag)}; allowed: lowercase letters, digits and dashes, up to 40 characters`);
  return `-${tag}`;
}

function summarize(samples: Sample[]) {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = `${s.tool}|${s.threads}|${s.flash_attention}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((g) => ({
    tool: g[0]!.tool, threads: g[0]!.threads, flash_attention: g[0]!.flash_attention, n: g.length,
    prefill_tps: median(g.map((s) => s.prefill_tps)), decode_tps: median(g.map((s) => s.decode_tps)),
    server_decode_tps: g.some((s) => s.server_decode_tps) ? median(g.flatMap((s) => (s.server_decode_tps ? [s.server_decode_tps] : []))) : null,
  }));
}

async function adapterRun(engine: "prebuilt" | "local", modelPath: string, cells: Cell[], promptN: number, genN: number): Promise<Sample[]> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "_adapter-probe.ts"), engine, modelPath, JSON.stringify(cells), String(promptN), String(genN)], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text(), await proc.exited];
  if (code !== 0) throw new Error(err.trim().split("\n").at(-1) ?? `exit ${code}`);
  const doc = JSON.parse(out) as { engine: string; results: Omit<Sample, "tool">[] };
  if (doc.engine !== engine) throw new Error(`asked for ${engine}, got ${doc.engine}`);
  return doc.results.map((r) => ({ tool: `adapter-${engine}`, ...r }));
}

async function serveRun(engine: "prebuilt" | "local", modelPath: string, cells: Cell[], prompt: string, genN: number, promptN: number, logitBias: unknown[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const cell of cells) {
    const s = await startServeOn(modelPath, ["--engine", engine, "--threads", String(cell.threads), "--flash-attention", cell.flash_attention ? "on" : "off", "--max-context", "4096"]);
    try {
      out.push({ tool: `serve-${engine}`, ...cell, ...(await clientProbe(`${s.url}/v1/completions`, prompt, genN, promptN, { logit_bias: logitBias })) });
    } finally {
      await s.stop();
    }
  }
  return out;
}

async function llamaServerRun(bin: string, modelPath: string, cells: Cell[], prompt: string, genN: number, logitBias: unknown[]): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const cell of cells) {
    const s = await startLlamaServer(bin, modelPath, { batch: 1, threads: cell.threads, contextPerSequence: 4096, flashAttention: cell.flash_attention });
    try {
      out.push({ tool: "llama-server", ...cell, ...(await clientProbe(`${s.url}/v1/completions`, prompt, genN, null, { logit_bias: logitBias })) });
    } finally {
      await s.stop();
    }
  }
  return out;
}

/** Client-side figures: prefill = prompt tokens / TTFT (TTFT includes one decode), decode from the stream. */
async function clientProbe(url: string, prompt: string, genN: number, expectPrompt: number | null, extra: Record<string, unknown>) {
  const body = { prompt, max_tokens: genN, temperature: 0, ignore_eos: true, cache_prompt: false, ...extra };
  await probeCompletion(url, body, { headers: ONE_CONNECTION }); // warm-up at full length (see aggregate.ts)
  const p = await probeCompletion(url, body, { headers: ONE_CONNECTION });
  if (!p.ok) throw new Error(p.error ?? "probe failed");
  if (p.completionTokens !== genN) throw new Error(`generated ${p.completionTokens} tokens, expected ${genN}`);
  if (expectPrompt !== null && p.promptTokens !== expectPrompt) throw new Error(`prompt was ${p.promptTokens} tokens, expected ${expectPrompt}`);
  return { prefill_tps: p.promptTokens! / (p.ttftMs! / 1000), decode_tps: p.decodeTokensPerSecond!, server_decode_tps: p.serverTimings?.predicted_per_second ?? null };
}

async function llamaBenchRun(bin: string, modelPath: string, cells: Cell[], promptN: number, genN: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const cell of cells) {
    const proc = Bun.spawn([bin, "-m", modelPath, "-t", String(cell.threads), "-fa", cell.flash_attention ? "1" : "0", "-p", String(promptN), "-n", String(genN), "-d", `0,${promptN}`, "-r", "1", "-o", "json"], { stdout: "pipe", stderr: "ignore" });
    const rows = JSON.parse(await new Response(proc.stdout).text()) as { n_prompt: number; n_gen: number; n_depth: number; avg_ts: number }[];
    await proc.exited;
    const pp = rows.find((r) => r.n_prompt === promptN && r.n_gen === 0 && r.n_depth === 0)!;
    const tg = rows.find((r) => r.n_gen === genN && r.n_prompt === 0 && r.n_depth === promptN)!;
    out.push({ tool: "llama-bench", ...cell, prefill_tps: pp.avg_ts, decode_tps: tg.avg_ts });
  }
  return out;
}

if (import.meta.main) await runScript(benchEngine);
