/**
 * `bun bench/gpu.ts`: serve on this machine's GPU against serve on its CPU, and against llama-server
 * when one built for that backend is given — decode and prefill tok/s, layers offloaded, VRAM.
 * Every side is started fresh each round and the rounds interleave the sides, so drift hits all
 * alike. JSON to bench/results/gpu-<backend>-<model>.json. On a machine without a GPU there is
 * nothing to compare: one line, exit 69 (EX_UNAVAILABLE).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import { asUsage, CliError } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import type { GpuBackend } from "../lib/engine/engine-knobs.ts";
import { GPU_NAMES } from "../lib/engine/gpu-backend.ts";
import { detectAutoBackend } from "../lib/engine/io/detect-gpu.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { defaultThreads } from "../lib/host/default-threads.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { probeCompletion } from "../lib/probe/io/probe-completion.ts";
import { highByteBans, median, ONE_CONNECTION, startServeOn } from "./_shared.ts";
import { nativeTool } from "./native-llama.ts";

/** What one side is, once started: where to send requests, what it offloaded, how to stop it. */
type Started = { url: string; layers: string | null; vramBytes: number | null; ramBytes: number | null; stop(): Promise<unknown> };
type Sample = { side: string; round: number; load_ms: number; prompt_tokens: number; prefill_tps: number; decode_tps: number; ttft_ms: number };

const DEVICE = { cuda: /\bCUDA\d+\b/, metal: /\b(Metal|MTL)\d*\b/, vulkan: /\bVulkan\d+\b/ } as const;

export const benchGpu = defineCommand({
  meta: { name: "bench-gpu", description: "serve on the GPU vs on the CPU (and vs llama-server built for the same backend): decode/prefill tok/s, layers offloaded, VRAM." },
  args: {
    model: { type: "string", description: "Fixture name or .gguf path. Defaults to fx-1b.", default: "fx-1b" },
    tokens: { type: "string", description: "Tokens per generation. Defaults to 128.", default: "128" },
    "prompt-tokens": { type: "string", description: "About this many prompt tokens (prefill). Defaults to 512.", default: "512" },
    replicates: { type: "string", description: "Rounds; each starts every side fresh. Defaults to 3.", default: "3" },
    threads: { type: "string", description: "CPU threads for every side. Defaults to the physical cores." },
    "llama-server": { type: "string", description: "A llama-server built for this machine's backend. Defaults to $LLAMA_SERVER, else bench/native-llama.ts's build; skipped (with a note) unless it lists a device of the backend." },
  },
  async run({ args }) {
    const backend = await detectAutoBackend();
    if (backend === null) throw new CliError("bench/gpu: node-llama-cpp detects no GPU on this machine (the CPU only); this benchmark compares serve on the GPU with the CPU and needs Metal, CUDA or Vulkan", 69);
    const tokens = asUsage(() => parseIntegerOption("--tokens", args.tokens, 2));
    const promptTokens = asUsage(() => parseIntegerOption("--prompt-tokens", args["prompt-tokens"], 8));
    const rounds = asUsage(() => parseIntegerOption("--replicates", args.replicates, 1));
    const threads = args.threads ? asUsage(() => parseIntegerOption("--threads", args.threads!, 1, 1024)) : defaultThreads(detectMachine());
    const modelPath = args.model.endsWith(".gguf") ? resolve(args.model) : (await fixtureByName(fixturesDir(), args.model)).path;
    const server = await llamaServerFor(backend, args["llama-server"] ?? process.env.LLAMA_SERVER ?? nativeTool("llama-server"));
    const common = ["--threads", String(threads), "--max-context", "4096", "--max-batch", "1"];
    const sides: [string, () => Promise<Started>][] = [
      [`serve-${backend}`, () => startServe(modelPath, [...common, "--gpu", backend, "--gpu-layers", "max"])],
      ["serve-cpu", () => startServe(modelPath, [...common, "--gpu", "off"])],
      ...(server ? [[`llama-server-${backend}`, () => startLlamaServer(server, modelPath, threads)] as [string, () => Promise<Started>]] : []),
    ];
    // The bench prompt in every tool's own tokenizer: text, with the prompt tokens read back from usage.
    const body = { prompt: "Once upon a time there was a local provider that served the world with tokens. ".repeat(Math.ceil(promptTokens / 16)), max_tokens: tokens, temperature: 0, ignore_eos: true, cache_prompt: false };
    const bans = highByteBans(modelPath);
    const samples: Sample[] = [];
    const offload: Record<string, { layers: string | null; vram_bytes: number | null; ram_bytes: number | null }> = {};
    for (let round = 1; round <= rounds; round++) {
      for (const [side, start] of sides) {
        const started = performance.now();
        const s = await start();
        try {
          const load_ms = Math.round(performance.now() - started);
          samples.push({ side, round, load_ms, ...(await measure(s.url, { ...body, logit_bias: bans })) });
          offload[side] = { layers: s.layers, vram_bytes: s.vramBytes, ram_bytes: s.ramBytes };
          logger.info(`round ${round} ${side}: decode ${samples.at(-1)!.decode_tps.toFixed(1)} tok/s, prefill ${samples.at(-1)!.prefill_tps.toFixed(0)} tok/s, layers ${s.layers ?? "?"}`);
        } finally {
          await s.stop();
        }
      }
    }
    report(backend, modelPath, { tokens, promptTokens, rounds, threads }, samples, offload, server);
  },
});

async function startServe(modelPath: string, args: string[]): Promise<Started> {
  const s = await startServeOn(modelPath, args);
  const cap = (await (await fetch(`${s.url}/v1/capacity`)).json()) as Record<string, any>;
  return { url: s.url, layers: `${cap.gpu_layers_loaded}/${cap.layers_total}`, vramBytes: cap.memory?.vram_bytes ?? null, ramBytes: cap.memory?.ram_bytes ?? null, stop: s.stop };
}

/** The llama-server to compare with, when it lists a device of `backend`; else null, said once. */
async function llamaServerFor(backend: GpuBackend, bin: string | null): Promise<string | null> {
  if (bin === null || !existsSync(bin)) {
    logger.warn(`no llama-server given: pass --llama-server PATH (built with ${GPU_NAMES[backend]}) to compare with it`);
    return null;
  }
  const proc = Bun.spawnSync([bin, "--list-devices"], { stdout: "pipe", stderr: "pipe" });
  const devices = proc.stdout.toString() + proc.stderr.toString();
  if (DEVICE[backend].test(devices)) return bin;
  logger.warn(`${bin} lists no ${GPU_NAMES[backend]} device (built for the CPU?): llama-server left out`);
  return null;
}

async function startLlamaServer(bin: string, modelPath: string, threads: number): Promise<Started> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = Bun.spawn([bin, "-m", modelPath, "--host", "127.0.0.1", "--port", String(port), "-t", String(threads), "-tb", String(threads), "-c", "4096", "-np", "1", "-ngl", "999", "--no-webui"], { stdout: "ignore", stderr: "pipe" });
  let log = "";
  void (async () => {
    for await (const chunk of proc.stderr) log += new TextDecoder().decode(chunk);
  })();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => (proc.kill("SIGTERM"), proc.exited);
  let healthy = false;
  for (let i = 0; i < 1200 && !healthy; i++) {
    if (proc.exitCode !== null) throw new Error(`llama-server exited (${proc.exitCode}): ${log.trim().split("\n").at(-1)}`);
    healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (!healthy) await Bun.sleep(100);
  }
  if (!healthy) throw new Error(`llama-server was not healthy within 120 s (${await stop()})`);
  // llama.cpp's own log: "offloaded 23/23 layers to GPU", "CUDA0 model buffer size = 1017.00 MiB", "... KV buffer size = ...".
  const layers = /offloaded (\d+\/\d+) layers to GPU/.exec(log)?.[1] ?? null;
  const mib = [...log.matchAll(/(?:CUDA|Metal|MTL|Vulkan)\d*\S* (?:model|KV|compute) buffer size =\s*([\d.]+) MiB/g)].reduce((a, m) => a + Number(m[1]), 0);
  return { url, layers, vramBytes: mib > 0 ? Math.round(mib * 2 ** 20) : null, ramBytes: null, stop };
}

async function measure(url: string, body: Record<string, unknown>) {
  await probeCompletion(`${url}/v1/completions`, { ...body, max_tokens: 4 }, { headers: ONE_CONNECTION }); // warm-up: first decode allocates
  const p = await probeCompletion(`${url}/v1/completions`, body, { headers: ONE_CONNECTION });
  if (!p.ok || p.ttftMs === null || p.decodeTokensPerSecond === null) throw new Error(`probe failed: ${p.error ?? "no tokens"}`);
  const promptTokens = p.promptTokens ?? 0;
  return { prompt_tokens: promptTokens, prefill_tps: promptTokens / (p.ttftMs / 1000), decode_tps: p.decodeTokensPerSecond, ttft_ms: p.ttftMs };
}

function report(backend: GpuBackend, modelPath: string, settings: Record<string, unknown>, samples: Sample[], offload: Record<string, unknown>, server: string | null): void {
  const sides = [...new Set(samples.map((s) => s.side))];
  const of = (side: string, key: "decode_tps" | "prefill_tps" | "ttft_ms" | "load_ms") => median(samples.filter((s) => s.side === side).map((s) => s[key]));
  const summary = Object.fromEntries(sides.map((side) => [side, { decode_tps: of(side, "decode_tps"), prefill_tps: of(side, "prefill_tps"), ttft_ms: of(side, "ttft_ms"), load_ms: of(side, "load_ms"), ...(offload[side] as object) }]));
  const gpu = `serve-${backend}`;
  const ratio = (a: string, b: string, key: "decode_tps" | "prefill_tps") => (summary[a] && summary[b] ? summary[a][key] / summary[b][key] : null);
  const ratios = {
    decode_gpu_over_cpu: ratio(gpu, "serve-cpu", "decode_tps"), prefill_gpu_over_cpu: ratio(gpu, "serve-cpu", "prefill_tps"),
    decode_serve_over_llama_server: ratio(gpu, `llama-server-${backend}`, "decode_tps"), prefill_serve_over_llama_server: ratio(gpu, `llama-server-${backend}`, "prefill_tps"),
  };
  const name = modelPath.split("/").at(-1)!.replace(/\.gguf$/, "");
  const result = { bench: "gpu", date: new Date().toISOString(), machine: detectMachine(), backend, model: modelPath, llama_server: server, settings, summary, ratios, samples };
  const dir = join(import.meta.dir, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gpu-${backend}-${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  logger.success(`wrote ${file}`);
  process.stdout.write(JSON.stringify({ backend, summary, ratios }, null, 2) + "\n");
}

if (import.meta.main) await runScript(benchGpu);
