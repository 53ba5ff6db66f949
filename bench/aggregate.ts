/**
 * The aggregate table of `bench/engine.ts --aggregate`: B concurrent streaming `/v1/completions`
 * (distinct 30-token prompts, `ignore_eos`, prompt cache off) against serve at `--max-batch B` and
 * llama-server from the same source at `-np B`, same context per sequence, flash attention on.
 * Aggregate tok/s = all completion tokens over the wall time from the first request sent to the last
 * stream's end. B = 1 also gives the short-prompt TTFT and single-stream decode. Tools interleave
 * round by round; every server is started fresh for each (tool, B, round).
 */
import { probeCompletion, type ProbeResult } from "../lib/probe/io/probe-completion.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { median, ONE_CONNECTION, startServeOn } from "./_shared.ts";

/**
 * `-nlc`: serve with MACPROVIDER_STEP_LOOP=0, node-llama-cpp's evaluate() phase-locked by
 * DecodeSteps instead of the StepLoop (what the loop buys; see step-loop.ts). `-unlocked`: that
 * path without DecodeSteps, node-llama-cpp's batching alone (what DecodeSteps bought).
 * `serve-local-job`: the local build with every decode on the worker job,
 * MACPROVIDER_INLINE_DECODE_MS=0 (what inline decode steps buy; see inline-decode-policy.ts).
 */
export type AggregateTool =
  | "serve-prebuilt" | "serve-local" | "serve-prebuilt-nlc" | "serve-local-nlc" | "serve-prebuilt-unlocked" | "serve-local-unlocked" | "serve-local-job" | "serve-prebuilt-job" | "llama-server";

/** The environment each serve variant adds (see AggregateTool). */
export const SERVE_TOOL_ENV = {
  "": {},
  "-nlc": { MACPROVIDER_STEP_LOOP: "0" },
  "-unlocked": { MACPROVIDER_STEP_LOOP: "0", MACPROVIDER_UNLOCKED_DECODE: "1" },
  "-job": { MACPROVIDER_INLINE_DECODE_MS: "0" },
} as const;
export type AggregateSettings = { batches: number[]; threads: number; genTokens: number; contextPerSequence: number; rounds: number; repeats: number };
export type AggregateSample = {
  tool: AggregateTool; batch: number; round: number;
  aggregate_tps: number;
  /** Medians over the B streams of one repeat. */
  ttft_ms: number; stream_decode_tps: number;
  /** Server-side prompt time (prompt tokens / the server's prompt_per_second), median of the streams. */
  server_prompt_ms: number | null;
};

type Server = { url: string; stop(): Promise<unknown> };

const STALL_MS = 120_000;

/** `extraBody` goes into every tool's requests alike (the same tokens generated everywhere). */
export async function runAggregate(tools: Map<AggregateTool, (batch: number) => Promise<Server>>, prompts: string[], settings: AggregateSettings, extraBody: Record<string, unknown>) {
  const samples: AggregateSample[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const batch of settings.batches) {
      // Rotate the order each round so no tool always runs first after a cooler machine.
      const order = [...tools.keys()];
      for (let i = 0; i < round % order.length; i++) order.push(order.shift()!);
      for (const tool of order) {
        let server: Server | null = null;
        try {
          server = await tools.get(tool)!(batch);
          const got = await measureBatch(server.url, prompts.slice(0, batch), settings, extraBody);
          for (const g of got) samples.push({ tool, batch, round, ...g });
          logger.info(`round ${round + 1} B=${batch} ${tool}: ${got.map((g) => `${g.aggregate_tps.toFixed(1)} tok/s ttft ${g.ttft_ms.toFixed(0)} ms`).join(", ")}`);
        } catch (error) {
          logger.warn(`round ${round + 1} B=${batch} ${tool} failed: ${(error as Error).message}`);
        } finally {
          await server?.stop();
        }
      }
    }
  }
  return { samples, table: summarize(samples) };
}

async function measureBatch(url: string, prompts: string[], settings: AggregateSettings, extra: Record<string, unknown>) {
  const body = (prompt: string, maxTokens: number) => ({ prompt, max_tokens: maxTokens, temperature: 0, ignore_eos: true, cache_prompt: false, ...extra });
  const endpoint = `${url}/v1/completions`;
  // A stalled server fails its (tool, B, round) by name instead of hanging the whole run.
  const within = () => ({ signal: AbortSignal.timeout(STALL_MS), headers: ONE_CONNECTION });
  // Warm-up: every slot once, at full length, so the measured repeats see a steady server (serve's
  // JavaScript is compiled by then; the first request of a fresh process runs it interpreted).
  await Promise.all(prompts.map((p) => probeCompletion(endpoint, body(p, settings.genTokens), within())));
  const out: Omit<AggregateSample, "tool" | "batch" | "round">[] = [];
  for (let r = 0; r < settings.repeats; r++) {
    const started = performance.now();
    const results = await Promise.all(prompts.map((p) => probeCompletion(endpoint, body(p, settings.genTokens), within())));
    const wall = (performance.now() - started) / 1000;
    for (const p of results) check(p, settings.genTokens);
    const total = results.reduce((n, p) => n + p.completionTokens!, 0);
    const promptMs = results.flatMap((p) => (p.serverTimings?.prompt_per_second && p.promptTokens ? [(p.promptTokens / p.serverTimings.prompt_per_second) * 1000] : []));
    out.push({
      aggregate_tps: total / wall,
      ttft_ms: median(results.map((p) => p.ttftMs!)),
      stream_decode_tps: median(results.map((p) => p.decodeTokensPerSecond!)),
      server_prompt_ms: promptMs.length ? median(promptMs) : null,
    });
  }
  return out;
}

function check(p: ProbeResult, genTokens: number): void {
  if (!p.ok) throw new Error(p.error ?? `status ${p.status}`);
  if (p.completionTokens !== genTokens) throw new Error(`generated ${p.completionTokens} tokens, expected ${genTokens}`);
}

function summarize(samples: AggregateSample[]) {
  const groups = new Map<string, AggregateSample[]>();
  for (const s of samples) groups.set(`${s.tool}|${s.batch}`, [...(groups.get(`${s.tool}|${s.batch}`) ?? []), s]);
  const rows = [...groups.values()].map((g) => {
    const prompt = g.flatMap((s) => (s.server_prompt_ms === null ? [] : [s.server_prompt_ms]));
    return {
      tool: g[0]!.tool, batch: g[0]!.batch, n: g.length,
      aggregate_tps: median(g.map((s) => s.aggregate_tps)),
      ttft_ms: median(g.map((s) => s.ttft_ms)),
      stream_decode_tps: median(g.map((s) => s.stream_decode_tps)),
      server_prompt_ms: prompt.length ? median(prompt) : null,
    };
  });
  const ref = (batch: number) => rows.find((r) => r.tool === "llama-server" && r.batch === batch);
  return rows.map((r) => {
    const peer = ref(r.batch);
    return {
      ...r,
      aggregate_vs_llama_server: peer ? r.aggregate_tps / peer.aggregate_tps : null,
      ttft_vs_llama_server: peer ? r.ttft_ms / peer.ttft_ms : null,
      server_prompt_vs_llama_server: peer?.server_prompt_ms && r.server_prompt_ms ? r.server_prompt_ms / peer.server_prompt_ms : null,
    };
  });
}

export type LlamaServerOptions = { batch: number; threads: number; contextPerSequence: number; flashAttention: boolean };

/** Starts llama-server on a free port at `-np batch` with `contextPerSequence` per slot; resolves once healthy. */
export async function startLlamaServer(bin: string, modelPath: string, o: LlamaServerOptions): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = Bun.spawn([bin, "-m", modelPath, "--host", "127.0.0.1", "--port", String(port), "-t", String(o.threads), "-tb", String(o.threads),
    "-fa", o.flashAttention ? "on" : "off", "-c", String(o.contextPerSequence * o.batch), "-np", String(o.batch), "--no-webui"], { stdout: "ignore", stderr: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  // A llama-server that does not exit on SIGTERM must not hang the run (a run once sat for ten
  // minutes right after a llama-server round ended, most likely here; not proven).
  const stop = async () => {
    proc.kill("SIGTERM");
    if (await Promise.race([proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)])) return;
    logger.warn(`llama-server (pid ${proc.pid}) did not exit 10 s after SIGTERM: killing it`);
    proc.kill("SIGKILL");
    await proc.exited;
  };
  for (let i = 0; i < 400; i++) {
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return { url, stop };
    await Bun.sleep(50);
  }
  await stop();
  throw new Error("llama-server did not become healthy in 20 s");
}

export function startServe(engine: "prebuilt" | "local", modelPath: string, batch: number, threads: number, contextPerSequence: number, env: Record<string, string> = {}): Promise<Server> {
  const args = ["--engine", engine, "--threads", String(threads), "--flash-attention", "on", "--max-context", String(contextPerSequence), "--max-batch", String(batch)];
  return startServeOn(modelPath, args, { ...process.env, ...env });
}
