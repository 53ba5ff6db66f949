/**
 * `bun bench/nlc-overhead.ts`: a minimal reproduction of what node-llama-cpp's per-token path costs
 * over llama.cpp itself, on one context and sequence (fx-80m, local build, prompt of 146 tokens):
 *   decode-only  — `evaluateWithoutGeneratingNewTokens([t])` per token: one llama_decode + JS;
 *   evaluate     — `sequence.evaluate()` greedy: decode + node-llama-cpp's sampling path;
 *   llama-bench  — tg128 @ d146 from the native build of the same source (when built).
 * The difference per token between the first two is the sampling path (an extra async worker hop
 * plus per-token sampler-config work in JS); between decode-only and llama-bench, the decode path.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEngineContext, describeEngine, loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import type { EngineChoice } from "../lib/engine/engine-knobs.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { benchPromptTokens, median } from "./_shared.ts";
import { nativeTool } from "./native-llama.ts";

const engine = (process.argv[2] ?? "auto") as EngineChoice;
const ROUNDS = 9, TOKENS = 128;
const fixture = await fixtureByName(fixturesDir(), "fx-80m");
const llama = await openEngine({ engine });
const model = await loadEngineModel(llama, fixture.path);
const prompt = benchPromptTokens(model, 146);
const results: Record<string, unknown>[] = [];

for (const threads of [1, 2]) {
  const ctx = await createEngineContext(model, { kvBits: null, maxContext: 4096, maxBatch: 1, threads, flashAttention: "off" });
  const seq = ctx.getSequence();
  const decodeOnly: number[] = [], evaluate: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    let t = performance.now();
    for (let i = 0; i < TOKENS; i++) await seq.evaluateWithoutGeneratingNewTokens([prompt[1 + (i % 100)]]);
    decodeOnly.push(TOKENS / ((performance.now() - t) / 1000));

    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
    t = performance.now();
    let n = 0;
    for await (const _ of seq.evaluate([prompt.at(-1)], { temperature: 0, yieldEogToken: true })) if (++n >= TOKENS) break;
    evaluate.push(TOKENS / ((performance.now() - t) / 1000));
  }
  await ctx.dispose();

  let bench: number | null = null;
  const bin = nativeTool("llama-bench");
  if (bin) {
    const proc = Bun.spawn([bin, "-m", fixture.path, "-t", String(threads), "-fa", "0", "-p", "0", "-n", String(TOKENS), "-d", "146", "-r", String(ROUNDS), "-o", "json"], { stdout: "pipe", stderr: "ignore" });
    bench = (JSON.parse(await new Response(proc.stdout).text()) as { avg_ts: number }[])[0]!.avg_ts;
  }
  const row = {
    threads,
    decode_only_tps: median(decodeOnly),
    evaluate_tps: median(evaluate),
    llama_bench_tg_tps: bench,
    sampling_path_ms_per_token: 1000 / median(evaluate) - 1000 / median(decodeOnly),
    decode_path_overhead_ms_per_token: bench ? 1000 / median(decodeOnly) - 1000 / bench : null,
  };
  results.push(row);
  console.error(JSON.stringify(row));
}

const out = { bench: "nlc-overhead", date: new Date().toISOString(), engine: describeEngine(llama).build, fixture: fixture.name, rounds: ROUNDS, tokens: TOKENS, results };
mkdirSync(join(import.meta.dir, "results"), { recursive: true });
writeFileSync(join(import.meta.dir, "results", `nlc-overhead-${out.engine}.json`), JSON.stringify(out, null, 2) + "\n");
console.log(JSON.stringify(out, null, 2));
process.exit(0);
