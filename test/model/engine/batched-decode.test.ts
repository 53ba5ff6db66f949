/**
 * Concurrent generations on one context share each llama_decode (StepLoop, or DecodeSteps on
 * node-llama-cpp's path), a new prompt joins in chunks, and a slow reader slows nobody else. Decodes are counted on the context's native
 * binding: `_ctx` is node-llama-cpp's private field, stable in the pinned 3.21.1.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { LlamaContext, LlamaModel, Token } from "node-llama-cpp";
import { loadEngineModel, openEngine } from "../../../lib/engine/io/open-engine.ts";
import { generateTokens, usesStepLoop, type GenerateOptions } from "../../../lib/engine/io/generate-tokens.ts";
import { contextOptionsFromKnobs } from "../../../lib/engine/engine-knobs.ts";
import { testFixture } from "../../helpers/fixtures.ts";

let model: LlamaModel;
beforeAll(async () => {
  model = await loadEngineModel(await openEngine(), (await testFixture("fx-8m")).path);
});
afterAll(async () => {
  await model.dispose();
});

/** The context serve creates (its batching strategy included), at 1 thread. */
const productionOptions = (maxContext: number, maxBatch: number) => contextOptionsFromKnobs({ kvBits: null, maxContext, maxBatch, threads: 1, flashAttention: "off" });

/** Each llama_decode's token count per sequence: [[seqId, tokens], ...] per decode. */
function countDecodes(context: LlamaContext): [number, number][][] {
  const decodes: [number, number][][] = [];
  let batch: [number, number][] = [];
  const native = (context as any)._ctx;
  (context as any)._ctx = new Proxy(native, {
    get(target, key) {
      const value = target[key];
      if (key === "initBatch") return (n: number) => ((batch = []), value.call(target, n));
      if (key === "addToBatch") return (seq: number, first: number, tokens: Uint32Array, logits: Uint32Array) => (batch.push([seq, tokens.length]), value.call(target, seq, first, tokens, logits));
      if (key === "decodeBatch") return () => (decodes.push(batch), value.call(target));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return decodes;
}

const OPTIONS: GenerateOptions = { maxTokens: 24, ignoreEos: true, temperature: 0, reusePrefix: false };
const promptFor = (i: number, length = 12): Token[] => [model.tokens.bos!, ...model.tokenize(`stream ${i} says: ${"hello world ".repeat(length)}`)].slice(0, length) as Token[];

async function drain(gen: ReturnType<typeof generateTokens>, perToken?: () => Promise<unknown>) {
  let n = 0;
  for await (const chunk of gen) {
    if (chunk.token !== null) n++;
    await perToken?.();
  }
  return n;
}

// Both decode paths: the StepLoop, and node-llama-cpp's evaluate under DecodeSteps (the path of
// models whose KV cache needs checkpoints).
describe.each([["the StepLoop", "1"], ["node-llama-cpp's evaluate", "0"]])("generateTokens() on a shared context, through %s", (_, loop) => {
  beforeAll(() => {
    process.env.MACPROVIDER_STEP_LOOP = loop;
  });
  afterAll(() => {
    delete process.env.MACPROVIDER_STEP_LOOP;
  });

  test.each([2, 4])("generateTokens() x%d decodes every active sequence in one llama_decode per token", async (B) => {
    const context = await model.createContext(productionOptions(256, B));
    const decodes = countDecodes(context);
    const sequences = Array.from({ length: B }, () => context.getSequence());
    expect(usesStepLoop(sequences[0]!)).toBe(loop === "1");
    // Streams that start out of phase (each a little later) and read at different paces.
    const counts = await Promise.all(sequences.map(async (s, i) => {
      await new Promise((r) => setTimeout(r, i * 3));
      return drain(generateTokens(s, promptFor(i), OPTIONS), () => new Promise((r) => (i % 2 ? setImmediate(r) : r(null))));
    }));
    expect(counts).toEqual(Array(B).fill(OPTIONS.maxTokens));
    const full = decodes.filter((d) => d.length === B).length;
    // In sequence-id order: llama.cpp computes consecutive increasing ids in one ubatch.
    for (const d of decodes) expect(d.map(([seq]) => seq)).toEqual(d.map(([seq]) => seq).sort((x, y) => x - y));
    // Staggered starts cost a few partial steps at the beginning and end; the rest hold everyone.
    expect(full).toBeGreaterThanOrEqual(OPTIONS.maxTokens - 4);
    expect(decodes.length).toBeLessThanOrEqual(OPTIONS.maxTokens + 2 * B);
    await context.dispose();
  });

  test("generateTokens() feeds a long prompt in chunks while another stream keeps decoding", async () => {
    const context = await model.createContext({ ...productionOptions(1024, 2), batchSize: 16 });
    const decodes = countDecodes(context);
    // The running stream on sequence 1, the joining prompt on sequence 0: the lower id joins late.
    const [b, a] = [context.getSequence(), context.getSequence()];
    let aTokens = 0;
    const tokensAtJoin: number[] = [];
    const first = drain(generateTokens(a, promptFor(0), { ...OPTIONS, maxTokens: 40 }), async () => void aTokens++);
    await new Promise((r) => setTimeout(r, 20));
    const longPrompt = promptFor(1, 100);
    expect(longPrompt.length).toBe(100);
    tokensAtJoin.push(aTokens);
    const second = drain(generateTokens(b, longPrompt, { ...OPTIONS, maxTokens: 4 }));
    expect(await Promise.all([first, second])).toEqual([40, 4]);
    // No decode over the batch, and b's prompt chunks (15 = 16 - 1 tokens) rode along with a's tokens.
    expect(Math.max(...decodes.map((d) => d.reduce((n, [, t]) => n + t, 0)))).toBeLessThanOrEqual(16);
    const shared = decodes.filter((d) => d.length === 2 && d.some(([, t]) => t === 15));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    for (const d of shared) expect(d.map(([seq]) => seq)).toEqual([0, 1]); // a joining prompt keeps id order too
    expect(tokensAtJoin[0]).toBeLessThan(40);
    await context.dispose();
  });

  test("generateTokens() keeps decoding a fast stream while another's reader stalls", async () => {
    const context = await model.createContext(productionOptions(512, 2));
    const [a, b] = [context.getSequence(), context.getSequence()];
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const slow = drain(generateTokens(b, promptFor(1), OPTIONS), () => stalled);
    const fast = await drain(generateTokens(a, promptFor(0), OPTIONS));
    expect(fast).toBe(OPTIONS.maxTokens); // finished while b's reader had not taken its first token
    release();
    expect(await slow).toBe(OPTIONS.maxTokens);
    await context.dispose();
  });
});
