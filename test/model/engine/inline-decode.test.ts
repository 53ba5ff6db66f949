/**
 * Inline decode steps: which batches installInlineDecode sends to `decodeBatch(true)` (checked on a
 * spy, so on any binary), and what the local build's patched addon does with it (only where
 * `engine build` made the patched build on this machine: CI has none, the build takes longer than
 * CI's whole run, and the prebuilt binary ignores the argument).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import { contextOptionsFromKnobs, type EngineKnobs } from "../../../lib/engine/engine-knobs.ts";
import { generateTokens } from "../../../lib/engine/io/generate-tokens.ts";
import { installInlineDecode } from "../../../lib/engine/io/inline-decode.ts";
import { hasLocalBuild, hostLocalBuildOptions } from "../../../lib/engine/io/local-builds.ts";
import { createEngineContext, loadEngineModel, openEngine } from "../../../lib/engine/io/open-engine.ts";
import { testFixture } from "../../helpers/fixtures.ts";

const patched = hasLocalBuild(hostLocalBuildOptions(), false);
const KNOBS: EngineKnobs = { kvBits: null, maxContext: 256, maxBatch: 2, threads: 1, flashAttention: "off" };

type Addon = {
  initBatch(size: number): void;
  addToBatch(seq: number, pos: number, tokens: Uint32Array, logits: Uint32Array): Uint32Array;
  decodeBatch(inline?: boolean): Promise<void>;
  sampleToken(index: number, sampler: unknown, probabilities?: boolean, confidence?: boolean, inline?: boolean): Promise<unknown>;
  removeTokenCellsFromSequence(seq: number, start: number, end: number): boolean;
};
const addonOf = (context: LlamaContext) => (context as unknown as { _ctx: Addon })._ctx;

/** Greedy tokens of a short prompt on `context`'s first sequence. */
async function greedy(model: LlamaModel, context: LlamaContext, maxTokens: number): Promise<number[]> {
  const prompt = [model.tokens.bos!, ...model.tokenize("the decode step runs where")];
  const out: number[] = [];
  for await (const c of generateTokens(context.getSequence(), prompt, { maxTokens, ignoreEos: true, temperature: 0 })) if (c.token !== null) out.push(c.token);
  return out;
}

/**
 * Whether `promise` settles before the event loop turns: an inline call has settled when it returns,
 * a worker job only settles from the event loop, however fast it ran. (An immediate racing the job
 * is no test: Bun may deliver a finished job before it runs immediates.)
 */
async function settledWithinTurn(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks only
  return settled;
}

describe("installInlineDecode()", () => {
  let model: LlamaModel;
  beforeAll(async () => {
    model = await loadEngineModel(await openEngine(), (await testFixture("fx-8m")).path);
  });
  afterAll(() => model?.dispose());

  /**
   * [batch size, decodeBatch's argument] of every batch of a generation with inline decode at
   * `capMs`, and sampleToken's inline flag (its fifth argument) for every token.
   */
  async function batches(capMs: number, maxTokens: number, generations = 1): Promise<{ seen: [number, boolean | undefined][]; sampled: (boolean | undefined)[] }> {
    const context = await model.createContext(contextOptionsFromKnobs(KNOBS));
    try {
      const addon = addonOf(context);
      const seen: [number, boolean | undefined][] = [];
      let size = 0;
      const sampled: (boolean | undefined)[] = [];
      const [initBatch, decodeBatch, sampleToken] = [addon.initBatch.bind(addon), addon.decodeBatch.bind(addon), addon.sampleToken.bind(addon)];
      // napi methods are read-only on the prototype: the spies are own properties, as installInlineDecode's are.
      Object.defineProperty(addon, "initBatch", { value: (n: number) => (size = n, initBatch(n)), writable: true, configurable: true });
      Object.defineProperty(addon, "decodeBatch", { value: (inline?: boolean) => (seen.push([size, inline]), decodeBatch(inline)), writable: true, configurable: true });
      const sample = (...args: Parameters<Addon["sampleToken"]>) => (sampled.push(args[4]), sampleToken(...args));
      Object.defineProperty(addon, "sampleToken", { value: sample, writable: true, configurable: true });
      installInlineDecode(context, capMs);
      for (let i = 0; i < generations; i++) expect(await greedy(model, context, maxTokens)).toHaveLength(maxTokens); // one sequence each
      return { seen, sampled };
    } finally {
      await context.dispose();
    }
  }

  test("installInlineDecode() sends one-token steps and sampling inline and a first prompt to the worker job", async () => {
    const { seen, sampled } = await batches(10_000, 6);
    expect(seen[0]![0]).toBeGreaterThan(KNOBS.maxBatch); // the prompt: more tokens than sequences
    expect(seen[0]![1]).toBe(false); // no prompt step measured yet
    expect(seen.slice(1).length).toBeGreaterThanOrEqual(5);
    expect(seen.slice(1)).toEqual(seen.slice(1).map(() => [1, true]));
    expect(sampled.length).toBeGreaterThanOrEqual(6);
    expect(sampled.every((inline) => inline === true)).toBe(true);
  });

  test("installInlineDecode() sends a later prompt inline once a measured prompt says it fits 5× the cap, and not when it does not", async () => {
    const prompts = (seen: [number, boolean | undefined][]) => seen.filter(([size]) => size > KNOBS.maxBatch).map(([, inline]) => inline);
    expect(prompts((await batches(10_000, 2, 2)).seen)).toEqual([false, true]);
    expect(prompts((await batches(0.000_001, 2, 2)).seen)).toEqual([false, false]); // no prompt step is that fast
  });

  test("installInlineDecode() sends the steps to the job once they average past the cap", async () => {
    const { seen, sampled } = await batches(0.000_001, 6); // every real step is slower than a nanosecond
    expect(seen.slice(1, 2)).toEqual([[1, true]]); // the first step, before any was measured
    expect(seen.slice(2)).toEqual(seen.slice(2).map(() => [1, false]));
    expect(sampled.slice(2).every((inline) => inline === undefined)).toBe(true); // sampling follows the steps
  });

  test("installInlineDecode() with a cap of 0 changes nothing", async () => {
    const { seen, sampled } = await batches(0, 4);
    expect(seen.every(([, inline]) => inline === undefined)).toBe(true);
    expect(sampled.every((inline) => inline === undefined)).toBe(true);
  });
});

describe.skipIf(!patched)("the local build", () => {
  let model: LlamaModel;
  beforeAll(async () => {
    model = await loadEngineModel(await openEngine({ engine: "local" }), (await testFixture("fx-8m")).path);
  });
  afterAll(() => model?.dispose());

  test.each([
    { call: "decodeBatch(true)", arg: true, inline: true },
    { call: "decodeBatch(false)", arg: false, inline: false },
    { call: "decodeBatch()", arg: undefined, inline: false },
  ])("$call on the patched addon settles within the calling turn: $inline", async ({ arg, inline }) => {
    const context = await model.createContext(contextOptionsFromKnobs(KNOBS));
    try {
      const addon = addonOf(context);
      addon.initBatch(2);
      for (const seq of [0, 1]) addon.addToBatch(seq, 0, Uint32Array.of(100 + seq), Uint32Array.of(0));
      const decoded = addon.decodeBatch(arg);
      expect(await settledWithinTurn(decoded)).toBe(inline);
      await decoded;
    } finally {
      await context.dispose();
    }
  });

  test.each([
    { call: "sampleToken(…, true)", inline: true },
    { call: "sampleToken(…)", inline: undefined },
  ])("$call on the patched addon settles within the calling turn: $inline", async ({ inline }) => {
    const context = await model.createContext(contextOptionsFromKnobs(KNOBS));
    try {
      const addon = addonOf(context);
      addon.initBatch(1);
      addon.addToBatch(0, 0, Uint32Array.of(100), Uint32Array.of(0));
      await addon.decodeBatch(true);
      const sampler = new (model.llama as unknown as { _bindings: { AddonSampler: new (m: unknown) => { applyConfig(c: object): void } } })._bindings.AddonSampler((model as unknown as { _model: unknown })._model);
      sampler.applyConfig({ temperature: 0 });
      const sampled = addon.sampleToken(0, sampler, undefined, undefined, inline);
      expect(await settledWithinTurn(sampled)).toBe(inline === true);
      const token = await sampled;
      expect(typeof token).toBe("number");
      expect(token as number).toBeGreaterThanOrEqual(0);
    } finally {
      await context.dispose();
    }
  });

  test("generateTokens() gives the same greedy tokens with decode steps inline and on the worker job", async () => {
    const run = async (env: Record<string, string>) => {
      const context = await createEngineContext(model, KNOBS, env);
      try {
        return await greedy(model, context, 32);
      } finally {
        await context.dispose();
      }
    };
    const inline = await run({});
    expect(inline).toHaveLength(32);
    expect(inline).toEqual(await run({ MACPROVIDER_INLINE_DECODE_MS: "0" }));
  });
});
