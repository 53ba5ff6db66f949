/**
 * `bun bench/serve.ts`: what the HTTP layer costs. Decode tok/s and TTFT through `serve` (a real
 * subprocess, SSE over loopback) against the engine adapter in-process, same fixture and knobs,
 * replicates interleaved; then aggregate tok/s at max-batch 1, 2, 4. JSON to bench/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { asUsage } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { createEngineContext, describeEngine, loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import type { EngineKnobs } from "../lib/engine/engine-knobs.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { generateTokens } from "../lib/engine/io/generate-tokens.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { probeCompletion } from "../lib/probe/io/probe-completion.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { median, startServeOn } from "./_shared.ts";

const PROMPT = "Once upon a time there was a local provider that served the world with tokens. ".repeat(6);

export const benchServe = defineCommand({
  meta: { name: "bench-serve", description: "Server overhead (serve vs in-process engine) and aggregate tok/s by max-batch." },
  args: {
    model: { type: "string", description: "Fixture name. Defaults to fx-80m.", default: "fx-80m" },
    threads: { type: "string", description: "CPU threads for both. Defaults to 1.", default: "1" },
    tokens: { type: "string", description: "Tokens per generation. Defaults to 128.", default: "128" },
    replicates: { type: "string", description: "Replicates per side. Defaults to 7.", default: "7" },
    batches: { type: "string", description: "max-batch values for the aggregate run. Defaults to 1,2,4.", default: "1,2,4" },
  },
  async run({ args }) {
    const fixture = await fixtureByName(fixturesDir(), args.model);
    const threads = asUsage(() => parseIntegerOption("--threads", args.threads, 1, 1024));
    const tokens = asUsage(() => parseIntegerOption("--tokens", args.tokens, 2));
    const replicates = asUsage(() => parseIntegerOption("--replicates", args.replicates, 1));
    const batches = asUsage(() => args.batches.split(",").map((b) => parseIntegerOption("--batches", b, 1, 64)));
    const knobs: EngineKnobs = { kvBits: null, maxContext: 4096, maxBatch: 1, threads, flashAttention: "off" };
    const serveArgs = ["--threads", String(threads), "--max-context", "4096", "--flash-attention", "off"];
    const request = { prompt: PROMPT, max_tokens: tokens, ignore_eos: true, cache_prompt: false, temperature: 0 };

    // Side by side: in-process engine vs serve, alternating so drift hits both equally.
    const llama = await openEngine();
    const model = await loadEngineModel(llama, fixture.path);
    const ctx = await createEngineContext(model, knobs);
    const seq = ctx.getSequence();
    const promptTokens = [model.tokens.bos!, ...model.tokenize(PROMPT)];
    const serve = await startServeOn(fixture.path, [...serveArgs, "--max-batch", "1"]);
    const inProcess: { ttft: number; decode: number }[] = [];
    const served: { ttft: number; decode: number }[] = [];
    try {
      await probeCompletion(`${serve.url}/v1/completions`, { ...request, max_tokens: 8 }); // warm-up
      for (let i = 0; i < replicates; i++) {
        const gen = generateTokens(seq, promptTokens, { maxTokens: tokens, ignoreEos: true, temperature: 0, reusePrefix: false });
        let step = await gen.next();
        while (!step.done) step = await gen.next();
        inProcess.push({ ttft: step.value.ttftMs!, decode: step.value.decodeTokensPerSecond! });
        const probe = await probeCompletion(`${serve.url}/v1/completions`, request);
        if (!probe.ok) throw new Error(`serve probe failed: ${probe.error}`);
        served.push({ ttft: probe.ttftMs!, decode: probe.decodeTokensPerSecond! });
        logger.info(`replicate ${i + 1}: in-process ${inProcess.at(-1)!.decode.toFixed(1)} tok/s / ${inProcess.at(-1)!.ttft.toFixed(0)} ms, serve ${served.at(-1)!.decode.toFixed(1)} tok/s / ${served.at(-1)!.ttft.toFixed(0)} ms`);
      }
    } finally {
      await serve.stop();
      await ctx.dispose();
      await model.dispose();
    }

    // Aggregate throughput with B concurrent streams at max-batch B.
    const aggregate: { max_batch: number; aggregate_tokens_per_s: number[]; median_aggregate_tokens_per_s: number; median_slowest_ttft_ms: number }[] = [];
    for (const b of batches) {
      const s = await startServeOn(fixture.path, [...serveArgs, "--max-batch", String(b)]);
      const rates: number[] = [];
      const ttfts: number[] = [];
      try {
        await probeCompletion(`${s.url}/v1/completions`, { ...request, max_tokens: 8 });
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          const probes = await Promise.all(Array.from({ length: b }, () => probeCompletion(`${s.url}/v1/completions`, request)));
          const wall = (performance.now() - started) / 1000;
          if (probes.some((p) => !p.ok)) throw new Error(`max-batch ${b}: ${probes.find((p) => !p.ok)!.error}`);
          rates.push(probes.reduce((n, p) => n + p.completionTokens!, 0) / wall);
          ttfts.push(Math.max(...probes.map((p) => p.ttftMs!)));
        }
      } finally {
        await s.stop();
      }
      aggregate.push({ max_batch: b, aggregate_tokens_per_s: rates, median_aggregate_tokens_per_s: median(rates), median_slowest_ttft_ms: median(ttfts) });
      logger.info(`max-batch ${b}: ${median(rates).toFixed(1)} tok/s aggregate`);
    }

    const summary = {
      in_process: { median_decode_tokens_per_s: median(inProcess.map((r) => r.decode)), median_ttft_ms: median(inProcess.map((r) => r.ttft)) },
      serve: { median_decode_tokens_per_s: median(served.map((r) => r.decode)), median_ttft_ms: median(served.map((r) => r.ttft)) },
    };
    const result = {
      bench: "serve",
      date: new Date().toISOString(),
      machine: detectMachine(),
      fixture: { name: fixture.name, params: fixture.params, sha256: fixture.sha256 },
      settings: { threads, tokens, replicates, prompt_tokens: promptTokens.length, kv_bits: null, flash_attention: "off", max_context: 4096, engine: describeEngine(llama).build },
      ...summary,
      ratio: {
        decode_serve_over_in_process: summary.serve.median_decode_tokens_per_s / summary.in_process.median_decode_tokens_per_s,
        ttft_serve_over_in_process: summary.serve.median_ttft_ms / summary.in_process.median_ttft_ms,
      },
      replicates_raw: { in_process: inProcess, serve: served },
      aggregate,
    };
    const dir = join(import.meta.dir, "results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `serve-${fixture.name}-t${threads}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    logger.success(`wrote ${file}`);
    process.stdout.write(JSON.stringify({ ...summary, ratio: result.ratio, aggregate: aggregate.map(({ max_batch, median_aggregate_tokens_per_s, median_slowest_ttft_ms }) => ({ max_batch, median_aggregate_tokens_per_s, median_slowest_ttft_ms })) }, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(benchServe);
