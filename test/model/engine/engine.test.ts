import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Llama, LlamaModel, Token } from "node-llama-cpp";
import { GgufIntegrityError } from "../../../lib/gguf/check-gguf-header.ts";
import { createEngineContext, loadEngineModel, openEngine } from "../../../lib/engine/io/open-engine.ts";
import type { EngineKnobs } from "../../../lib/engine/engine-knobs.ts";
import { estimateMemory } from "../../../lib/engine/io/estimate-memory.ts";
import { generateTokens, type GenerateOptions, type GenerateStats } from "../../../lib/engine/io/generate-tokens.ts";
import { SMALL_FIXTURES, tempDir, testFixture, writeBadVocabModel } from "../../helpers/fixtures.ts";

const KNOBS: EngineKnobs = { kvBits: null, maxContext: 512, maxBatch: 1, threads: 1, flashAttention: "off" };

let llama: Llama;
let model: LlamaModel; // fx-8m, shared by the tests that need one model

beforeAll(async () => {
  llama = await openEngine();
  model = await loadEngineModel(llama, (await testFixture("fx-8m")).path);
});
afterAll(async () => {
  await model.dispose();
});

async function run(sequence: Parameters<typeof generateTokens>[0], prompt: readonly Token[], options: GenerateOptions) {
  const gen = generateTokens(sequence, prompt, options);
  let text = "";
  const tokens: Token[] = [];
  let step = await gen.next();
  while (!step.done) {
    text += step.value.text;
    if (step.value.token !== null) tokens.push(step.value.token);
    step = await gen.next();
  }
  return { text, tokens, stats: step.value as GenerateStats };
}

describe("loadEngineModel() + generateTokens()", () => {
  test.each([...SMALL_FIXTURES])("%s loads and generates exactly the asked tokens with ignoreEos", async (name) => {
    const m = await loadEngineModel(llama, (await testFixture(name)).path);
    try {
      expect(m.getWarnings()).toEqual([]);
      const ctx = await createEngineContext(m, KNOBS);
      const { text, tokens, stats } = await run(ctx.getSequence(), m.tokenize("Once upon a time"), { maxTokens: 24, ignoreEos: true, temperature: 0 });
      expect(stats.completionTokens).toBe(24);
      expect(tokens.length).toBe(24);
      expect(stats.finishReason).toBe("length");
      expect(stats.ttftMs).toBeGreaterThan(0);
      expect(stats.decodeTokensPerSecond).toBeGreaterThan(0);
      // Streamed piece by piece, the text is what detokenizing all tokens at once gives.
      expect(text).toBe(m.detokenize(tokens));
      await ctx.dispose();
    } finally {
      await m.dispose();
    }
  });

  test.each([
    "Hello world, the model says hello.",
    "héllo wörld — ünïcödé",
    "中文文本 and 日本語",
    "emoji 😀🚀 mixed\nnew lines\tand tabs  double  spaces",
    " leading space and trailing ",
    "<|im_start|>user not special without specialTokens",
  ])("the fixture tokenizer round-trips %p", (text) => {
    const tokens = model.tokenize(text, false);
    expect(model.detokenize(tokens)).toBe(text);
  });

  test("the fixture tokenizer merges common words into single tokens", () => {
    expect(model.tokenize(" the", false).length).toBe(1);
    expect(model.tokenize("x the model", false).length).toBeLessThan("x the model".length);
  });

  test("generateTokens() stops at EOS without ignoreEos and counts it out of the completion", async () => {
    const ctx = await createEngineContext(model, KNOBS);
    const seq = ctx.getSequence();
    // Sampling from several prompts: the random model emits an end token within its budget for some.
    let sawStop = false;
    for (const prompt of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
      const { tokens, stats } = await run(seq, model.tokenize(prompt), { maxTokens: 200, temperature: 0.8, seed: 1 });
      expect(["stop", "length"]).toContain(stats.finishReason);
      expect(tokens.some((t) => model.isEogToken(t))).toBe(false);
      expect(stats.completionTokens).toBe(tokens.length);
      if (stats.finishReason === "stop") {
        sawStop = true;
        expect(tokens.length).toBeLessThan(200);
      }
    }
    expect(sawStop).toBe(true);
    await ctx.dispose();
  });

  test("generateTokens() caps generation at the context window instead of crashing", async () => {
    const ctx = await createEngineContext(model, { ...KNOBS, maxContext: 256 });
    const prompt = model.tokenize("word ".repeat(100));
    const { stats } = await run(ctx.getSequence(), prompt, { maxTokens: 10_000, ignoreEos: true, temperature: 0 });
    expect(stats.completionTokens).toBe(ctx.contextSize - prompt.length);
    await ctx.dispose();
  });

  test("generateTokens() stops on abort and leaves the sequence usable", async () => {
    const ctx = await createEngineContext(model, KNOBS);
    const seq = ctx.getSequence();
    const controller = new AbortController();
    const gen = generateTokens(seq, model.tokenize("abort me"), { maxTokens: 400, ignoreEos: true, signal: controller.signal });
    let n = 0;
    let step = await gen.next();
    while (!step.done) {
      if (++n === 5) controller.abort();
      step = await gen.next();
    }
    expect(step.value.finishReason).toBe("abort");
    expect(step.value.completionTokens).toBe(5);
    const after = await run(seq, model.tokenize("again"), { maxTokens: 8, ignoreEos: true });
    expect(after.stats.completionTokens).toBe(8);
    await ctx.dispose();
  });

  test("generateTokens() reuses the prompt prefix already in the sequence", async () => {
    const ctx = await createEngineContext(model, KNOBS);
    const seq = ctx.getSequence();
    const prompt = model.tokenize("The same long prompt, the same long prompt, the same long prompt.");
    const first = await run(seq, prompt, { maxTokens: 4, temperature: 0 });
    expect(first.stats.evaluatedPromptTokens).toBe(prompt.length);
    const second = await run(seq, prompt, { maxTokens: 4, temperature: 0 });
    expect(second.stats.evaluatedPromptTokens).toBe(1);
    expect(second.text).toBe(first.text); // greedy on the same state gives the same tokens
    const cold = await run(seq, prompt, { maxTokens: 4, temperature: 0, reusePrefix: false });
    expect(cold.stats.evaluatedPromptTokens).toBe(prompt.length);
    await ctx.dispose();
  });
});

describe("createEngineContext()", () => {
  test.each([
    [null, 1, false],
    [8, 8, true],
    [4, 2, true],
  ] as const)("kvBits %p allocates a GgmlType %p KV cache with flash attention %p", async (kvBits, ggmlType, fa) => {
    const ctx = await createEngineContext(model, { ...KNOBS, kvBits });
    expect(ctx.kvCacheKeyType).toBe(ggmlType);
    expect(ctx.kvCacheValueType).toBe(ggmlType);
    expect(ctx.flashAttention).toBe(fa);
    await ctx.dispose();
  });

  test("each knob changes what the context allocates", async () => {
    const ram = async (knobs: EngineKnobs) => {
      const ctx = await createEngineContext(model, knobs);
      const facts = { ram: ctx.memoryUsage.ram, size: ctx.contextSize, seqs: ctx.totalSequences, threads: ctx.idealThreads };
      await ctx.dispose();
      return facts;
    };
    const base = await ram({ ...KNOBS, maxContext: 2048 });
    const q8 = await ram({ ...KNOBS, maxContext: 2048, kvBits: 8 });
    const q4 = await ram({ ...KNOBS, maxContext: 2048, kvBits: 4 });
    const longer = await ram({ ...KNOBS, maxContext: 8192 });
    const batched = await ram({ ...KNOBS, maxContext: 2048, maxBatch: 4 });
    const twoThreads = await ram({ ...KNOBS, maxContext: 2048, threads: 2 });
    expect(q8.ram).toBeLessThan(base.ram);
    expect(q4.ram).toBeLessThan(q8.ram);
    expect(longer.size).toBe(8192);
    expect(longer.ram).toBeGreaterThan(base.ram);
    expect(batched.seqs).toBe(4);
    expect(batched.ram).toBeGreaterThan(base.ram);
    expect(base.threads).toBe(1);
    expect(twoThreads.threads).toBe(2);
  });
});

describe("estimateMemory()", () => {
  test("estimateMemory() grows with context and sequences and shrinks with KV quantization", async () => {
    const path = (await testFixture("fx-8m")).path;
    const est = (knobs: Partial<EngineKnobs>) => estimateMemory(llama, path, { ...KNOBS, maxContext: 4096, ...knobs });
    const base = await est({});
    expect(base.trainContext).toBe(32768);
    expect(base.modelBytes).toBeGreaterThan(8e6);
    expect((await est({ maxContext: 16384 })).contextBytes).toBeGreaterThan(base.contextBytes);
    expect((await est({ maxBatch: 4 })).contextBytes).toBeGreaterThan(base.contextBytes);
    expect((await est({ kvBits: 8 })).contextBytes).toBeLessThan(base.contextBytes);
    expect((await est({ kvBits: 4 })).contextBytes).toBeLessThan((await est({ kvBits: 8 })).contextBytes);
  });
});

describe("the integrity guard", () => {
  test.each([
    ["bad-dup", { duplicateToken: true }, "duplicate_token"],
    ["bad-bytes", { dropByteTokens: [0x0a] }, "missing_byte_token"],
  ] as const)("loadEngineModel() refuses %s before llama.cpp sees it, and the process survives", async (name, defect, expected) => {
    const path = await writeBadVocabModel(tempDir(), name, defect);
    const error = await loadEngineModel(llama, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufIntegrityError);
    expect((error as GgufIntegrityError).defect).toBe(expected);
    // Still alive: the shared model still generates.
    const ctx = await createEngineContext(model, KNOBS);
    expect((await run(ctx.getSequence(), model.tokenize("alive"), { maxTokens: 3, ignoreEos: true })).stats.completionTokens).toBe(3);
    await ctx.dispose();
  });
});
