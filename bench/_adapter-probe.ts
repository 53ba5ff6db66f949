/**
 * One engine build's measurements, in its own process (two llama.cpp builds cannot share one):
 * `bun bench/_adapter-probe.ts ENGINE MODEL CELLS_JSON PROMPT_TOKENS GEN_TOKENS` prints
 * [{threads, flash_attention, prefill_tps, decode_tps}] as JSON.
 */
import { createEngineContext, describeEngine, loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import type { EngineChoice } from "../lib/engine/engine-knobs.ts";
import { generateTokens } from "../lib/engine/io/generate-tokens.ts";
import { benchPromptTokens } from "./_shared.ts";

const [engine, modelPath, cellsJson, promptN, genN] = process.argv.slice(2);
const cells = JSON.parse(cellsJson!) as { threads: number; flash_attention: boolean }[];
const llama = await openEngine({ engine: engine as EngineChoice });
const model = await loadEngineModel(llama, modelPath!);
const prompt = benchPromptTokens(model, Number(promptN));
const out = [];
for (const cell of cells) {
  const ctx = await createEngineContext(model, { kvBits: null, maxContext: 4096, maxBatch: 1, threads: cell.threads, flashAttention: cell.flash_attention ? "on" : "off" });
  const seq = ctx.getSequence();
  await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 16)); // warm-up
  await seq.clearHistory();
  const t0 = performance.now();
  await seq.evaluateWithoutGeneratingNewTokens(prompt);
  const prefillMs = performance.now() - t0;
  // Decode after the prompt: the prefix is reused, so only generation is timed.
  const gen = generateTokens(seq, prompt, { maxTokens: Number(genN), ignoreEos: true, temperature: 0 });
  let step = await gen.next();
  while (!step.done) step = await gen.next();
  out.push({ ...cell, prefill_tps: prompt.length / (prefillMs / 1000), decode_tps: step.value.decodeTokensPerSecond! });
  await ctx.dispose();
}
process.stdout.write(JSON.stringify({ engine: describeEngine(llama).build, results: out }) + "\n");
