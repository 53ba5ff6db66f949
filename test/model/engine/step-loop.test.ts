/**
 * The StepLoop against node-llama-cpp's own evaluate path (MACPROVIDER_STEP_LOOP=0): the same tokens
 * for the same sampling, the sequence's token bookkeeping kept true, and a stalled reader holding
 * its slot only a few tokens ahead. Decodes are counted on node-llama-cpp's private `_ctx` (3.21.1).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { contextOptionsFromKnobs } from "../../../lib/engine/engine-knobs.ts";
import { generateTokens, usesStepLoop, type GenerateOptions } from "../../../lib/engine/io/generate-tokens.ts";
import { loadEngineModel, openEngine } from "../../../lib/engine/io/open-engine.ts";
import { testFixture } from "../../helpers/fixtures.ts";

let llama: Llama;
let model: LlamaModel;
beforeAll(async () => {
  llama = await openEngine();
  model = await loadEngineModel(llama, (await testFixture("fx-8m")).path);
});
afterAll(() => model?.dispose());
afterEach(() => {
  delete process.env.MACPROVIDER_STEP_LOOP;
});

const newContext = (maxBatch = 1) => model.createContext(contextOptionsFromKnobs({ kvBits: null, maxContext: 256, maxBatch, threads: 1, flashAttention: "off" }));
const promptOf = (text: string) => [model.tokens.bos!, ...model.tokenize(text)] as Token[];

const tokensOf = (sequence: LlamaContextSequence, prompt: Token[], options: GenerateOptions) => drain(generateTokens(sequence, prompt, options));

/** A generation's tokens and stats. Asks for the first token before it returns (the slot is open then). */
async function drain(gen: ReturnType<typeof generateTokens>) {
  const out: number[] = [];
  for (;;) {
    const step = await gen.next();
    if (step.done) return { tokens: out, stats: step.value };
    if (step.value.token !== null) out.push(step.value.token);
  }
}

/** Runs `fn` on two fresh contexts: one to reuse a prefix on, one to compare with. */
async function withTwoContexts(fn: (context: LlamaContext, fresh: LlamaContext) => Promise<void>) {
  const context = await newContext();
  const fresh = await newContext();
  try {
    await fn(context, fresh);
  } finally {
    await context.dispose();
    await fresh.dispose();
  }
}

describe("generateTokens() on the StepLoop", () => {
  test.each([
    ["greedy", { maxTokens: 40, ignoreEos: true, temperature: 0 }],
    ["seeded at temperature 0.9, top-k 20, top-p 0.9", { maxTokens: 40, ignoreEos: true, temperature: 0.9, topK: 20, topP: 0.9, seed: 7 }],
    ["stopping at end-of-generation", { maxTokens: 200, temperature: 0.9, seed: 3 }],
    ["seeded, with a logit bias (a ban and two nudges)", { maxTokens: 40, ignoreEos: true, temperature: 0.9, seed: 11, logitBias: new Map([[5, -Infinity], [100, 3], [200, 2.5]]) }],
  ] as [string, GenerateOptions][])("generateTokens() samples node-llama-cpp's tokens: %s", async (_, options) => {
    const run = async (loop: "1" | "0") => {
      process.env.MACPROVIDER_STEP_LOOP = loop;
      const context = await newContext();
      try {
        const sequence = context.getSequence();
        expect(usesStepLoop(sequence)).toBe(loop === "1");
        return await tokensOf(sequence, promptOf("the loop and the library agree on"), { ...options, reusePrefix: false });
      } finally {
        await context.dispose();
      }
    };
    const [loop, nlc] = [await run("1"), await run("0")];
    expect(loop.tokens.length).toBeGreaterThan(0);
    expect(loop.tokens).toEqual(nlc.tokens);
    expect(loop.stats.finishReason).toBe(nlc.stats.finishReason);
    expect(loop.stats.finishReason).toBe(options.ignoreEos ? "length" : "stop");
  });

  test("generateTokens() under a JSON-schema grammar gives node-llama-cpp's text", async () => {
    const grammar = await llama.createGrammarForJsonSchema({ type: "object", properties: { name: { type: "string", maxLength: 12 } }, required: ["name"] } as never);
    const run = async (loop: "1" | "0") => {
      process.env.MACPROVIDER_STEP_LOOP = loop;
      const context = await newContext();
      try {
        const { tokens, stats } = await tokensOf(context.getSequence(), promptOf("a person as JSON:"), { maxTokens: 60, temperature: 0.8, seed: 11, grammar, reusePrefix: false });
        return { text: model.detokenize(tokens as Token[]), stats };
      } finally {
        await context.dispose();
      }
    };
    const [loop, nlc] = [await run("1"), await run("0")];
    expect(loop.text).toBe(nlc.text);
    expect(loop.stats.finishReason).toBe("stop");
    expect(JSON.parse(loop.text)).toHaveProperty("name");
  });

  test("generateTokens() leaves the sequence holding the prompt and every token fed back, and the next prompt reuses them", async () => {
    const context = await newContext();
    try {
      const sequence = context.getSequence();
      const prompt = promptOf("bookkeeping stays true");
      const first = await tokensOf(sequence, prompt, { maxTokens: 12, ignoreEos: true, temperature: 0 });
      // The last token was sampled, never decoded.
      expect(sequence.contextTokens as number[]).toEqual([...prompt, ...first.tokens.slice(0, -1)]);
      expect(sequence.nextTokenIndex).toBe(prompt.length + first.tokens.length - 1);
      const follow = [...prompt, ...(first.tokens as Token[]), ...model.tokenize(" and more")];
      const second = await tokensOf(sequence, follow, { maxTokens: 4, ignoreEos: true, temperature: 0 });
      expect(second.stats.evaluatedPromptTokens).toBe(follow.length - (prompt.length + first.tokens.length - 1));
    } finally {
      await context.dispose();
    }
  });

  test("generateTokens() erases the cells past the reused prefix: a diverging prompt samples what a fresh sequence does", async () => {
    const greedy = { maxTokens: 16, ignoreEos: true, temperature: 0 } as const;
    const [first, second] = [promptOf("the shared start of both, then one way to go on"), promptOf("the shared start of both, but quite another way")];
    await withTwoContexts(async (context, fresh) => {
      const sequence = context.getSequence();
      await tokensOf(sequence, first, greedy);
      const reused = await tokensOf(sequence, second, greedy);
      const shared = second.findIndex((t, i) => t !== first[i]);
      expect(reused.stats.evaluatedPromptTokens).toBe(second.length - shared);
      expect(reused.tokens).toEqual((await tokensOf(fresh.getSequence(), second, greedy)).tokens);
    });
  });

  test("generateTokens() counts the whole prompt as evaluated when its reused prefix was gone by the first step", async () => {
    const greedy = { maxTokens: 8, ignoreEos: true, temperature: 0 } as const;
    const [first, second] = [promptOf("a prefix that will be cleared, first"), promptOf("a prefix that will be cleared, second")];
    await withTwoContexts(async (context, fresh) => {
      const sequence = context.getSequence();
      await tokensOf(sequence, first, greedy);
      const run = tokensOf(sequence, second, greedy); // opens the slot on the shared prefix; its first step is one turn away
      await sequence.clearHistory(); // the prefix is gone before that step
      const { tokens, stats } = await run;
      expect(stats.evaluatedPromptTokens).toBe(second.length);
      expect(tokens).toEqual((await tokensOf(fresh.getSequence(), second, greedy)).tokens);
    });
  });

  test("generateTokens() aborted before its first step reports no prompt token evaluated", async () => {
    const context = await newContext();
    try {
      const abort = new AbortController();
      const gen = generateTokens(context.getSequence(), promptOf("never decoded"), { maxTokens: 8, ignoreEos: true, temperature: 0, signal: abort.signal });
      const head = gen.next();
      abort.abort();
      const end = await head;
      expect(end.done).toBe(true);
      expect(end.value).toMatchObject({ finishReason: "abort", completionTokens: 0, evaluatedPromptTokens: 0 });
    } finally {
      await context.dispose();
    }
  });

  test("generateTokens() runs at most 4 tokens ahead of a reader that stalls", async () => {
    const context = await newContext();
    try {
      const decodes = countDecodes(context);
      const gen = generateTokens(context.getSequence(), promptOf("a reader that stalls"), { maxTokens: 50, ignoreEos: true, temperature: 0 });
      await gen.next(); // the first token: the prompt's decode
      // Wait until the decodes stop coming (each takes ~3 ms on fx-8m), however loaded the machine.
      let seen = -1;
      while (decodes() !== seen) {
        seen = decodes();
        await new Promise((r) => setTimeout(r, 60));
      }
      expect(decodes()).toBe(1 + 4);
      await gen.return(undefined as never);
    } finally {
      await context.dispose();
    }
  });
});

describe("the StepLoop when its reader or its context goes away", () => {
  test("generateTokens() closed while its step decodes still records the tokens that step fed", async () => {
    const context = await newContext();
    try {
      const sequence = context.getSequence();
      const addon = (context as unknown as { _ctx: { decodeBatch(...args: unknown[]): Promise<void> } })._ctx;
      const decodeBatch = addon.decodeBatch.bind(addon);
      let calls = 0;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // The second step (the first generated token fed back) waits here, its batch already built.
      Object.defineProperty(addon, "decodeBatch", { value: async (...args: unknown[]) => {
        if (++calls === 2) await held;
        return decodeBatch(...args);
      }, writable: true, configurable: true });
      const gen = generateTokens(sequence, promptOf("closed mid-step"), { maxTokens: 50, ignoreEos: true, temperature: 0 });
      await gen.next();
      await new Promise((r) => setTimeout(r, 20));
      expect(calls).toBe(2);
      const closed = gen.return(undefined as never);
      release();
      await closed;
      expect(sequence.contextTokens.length).toBe(sequence.nextTokenIndex);
    } finally {
      await context.dispose();
    }
  });

  test("generateTokens() on a context disposed mid-generation ends with an error, and the dispose completes", async () => {
    const context = await newContext();
    const gen = generateTokens(context.getSequence(), promptOf("disposed under me"), { maxTokens: 200, ignoreEos: true, temperature: 0 });
    await gen.next();
    const disposed = context.dispose();
    const drained = (async () => {
      for (;;) if ((await gen.next()).done) return "ended";
    })();
    expect(await drained.catch((error: Error) => error.message)).toMatch(/dispos/i);
    await disposed;
    expect(context.disposed).toBe(true);
  });
});

/** How many llama_decode calls `context` made so far. */
function countDecodes(context: LlamaContext): () => number {
  const addon = (context as unknown as { _ctx: { decodeBatch(...args: unknown[]): Promise<void> } })._ctx;
  const decodeBatch = addon.decodeBatch.bind(addon);
  let n = 0;
  Object.defineProperty(addon, "decodeBatch", { value: (...args: unknown[]) => (n++, decodeBatch(...args)), writable: true, configurable: true });
  return () => n;
}
