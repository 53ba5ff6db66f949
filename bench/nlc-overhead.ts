/**
 * `bun bench/nlc-overhead.ts [engine]`: a minimal reproduction of what node-llama-cpp's per-token path
 * costs over llama.cpp itself, on one context and sequence (fx-80m, prompt of 146 tokens):
 *   decode-only  — `evaluateWithoutGeneratingNewTokens([t])` per token: llama_decode without logits
 *                  (no output projection), plus node-llama-cpp's dispatch JS;
 *   evaluate     — `sequence.evaluate()` greedy: decode with logits + node-llama-cpp's sampling path;
 *   step loop    — generateTokens() greedy on the StepLoop (lib/engine/io/step-loop.ts): decode with
 *                  logits and sampling straight on the addon, the way serve generates;
 *   raw addon    — initBatch/addToBatch/decodeBatch with logits straight on node-llama-cpp's native
 *                  context, no JS of its own: llama_decode as the addon runs it (a worker-pool job,
 *                  or, on the patched local build, inline per lib/engine/inline-decode-policy.ts);
 *   llama-bench  — tg128 @ d146 from the native build of the same source (when built; with logits).
 * Per token: raw addon over llama-bench is how the addon runs llama_decode (thread hops); evaluate
 * over raw addon is node-llama-cpp's JS and its sampling job. Decode-only skips the output layer, so
 * it is not comparable with llama-bench. `MACPROVIDER_INLINE_DECODE_MS=0` keeps every decode of the
 * patched build on the worker job (results file suffix `-job-decode`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEngineContext, describeEngine, hasAddonPatch, loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import { inlineDecodeCapMs } from "../lib/engine/inline-decode-policy.ts";
import type { EngineChoice } from "../lib/engine/engine-knobs.ts";
import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { benchPromptTokens, median } from "./_shared.ts";
import { generateTokens } from "../lib/engine/io/generate-tokens.ts";
import { nativeTool } from "./native-llama.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";

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
  const rawAddon: number[] = [], decodeOnly: number[] = [], evaluate: number[] = [], stepLoop: number[] = [];
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

    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
    t = performance.now();
    for await (const _ of generateTokens(seq, prompt, { maxTokens: TOKENS, ignoreEos: true, temperature: 0 }));
    stepLoop.push(TOKENS / ((performance.now() - t) / 1000));

    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens(prompt);
    rawAddon.push(await rawAddonDecode(ctx, seq, prompt));
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
    raw_addon_tps: median(rawAddon),
    decode_only_tps: median(decodeOnly),
    evaluate_tps: median(evaluate),
    step_loop_tps: median(stepLoop),
    llama_bench_tg_tps: bench,
    evaluate_over_llama_bench: bench ? median(evaluate) / bench : null,
    addon_decode_ms_per_token_over_llama_bench: bench ? 1000 / median(rawAddon) - 1000 / bench : null,
    nlc_js_and_sampling_ms_per_token: 1000 / median(evaluate) - 1000 / median(rawAddon),
    step_loop_ms_per_token_over_raw_addon: 1000 / median(stepLoop) - 1000 / median(rawAddon),
  };
  results.push(row);
  console.error(JSON.stringify(row));
}

/**
 * TOKENS single-token decodes straight on the addon (node-llama-cpp's private `_ctx` and sequence id),
 * after the sequence's prompt; the cells are erased again, so the sequence's own state stays true.
 */
async function rawAddonDecode(ctx: LlamaContext, seq: LlamaContextSequence, prompt: readonly Token[]): Promise<number> {
  type Addon = { initBatch(n: number): void; addToBatch(seq: number, pos: number, tokens: Uint32Array, logits: Uint32Array): Uint32Array; decodeBatch(inline?: boolean): Promise<void>; removeTokenCellsFromSequence(seq: number, start: number, end: number): boolean };
  const addon = (ctx as unknown as { _ctx: Addon })._ctx;
  const id = (seq as unknown as { _sequenceId: number })._sequenceId;
  let pos = seq.nextTokenIndex;
  const first = pos;
  const t = performance.now();
  for (let i = 0; i < TOKENS; i++) {
    addon.initBatch(1);
    addon.addToBatch(id, pos++, Uint32Array.of(prompt[1 + (i % 100)]!), Uint32Array.of(0));
    await addon.decodeBatch();
  }
  const tps = TOKENS / ((performance.now() - t) / 1000);
  addon.removeTokenCellsFromSequence(id, first, pos);
  return tps;
}

const jobDecode = hasAddonPatch(llama) && inlineDecodeCapMs(process.env) === 0;
const out = { bench: "nlc-overhead", date: new Date().toISOString(), machine: detectMachine(), engine: describeEngine(llama).build, fixture: fixture.name, rounds: ROUNDS, tokens: TOKENS, results };
mkdirSync(join(import.meta.dir, "results"), { recursive: true });
writeFileSync(join(import.meta.dir, "results", `nlc-overhead-${out.engine}${jobDecode ? "-job-decode" : ""}.json`), JSON.stringify(out, null, 2) + "\n");
console.log(JSON.stringify(out, null, 2));
process.exit(0);
