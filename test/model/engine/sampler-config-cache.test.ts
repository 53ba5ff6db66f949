import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { LlamaModel, Token } from "node-llama-cpp";
import { loadEngineModel, openEngine } from "../../../lib/engine/io/open-engine.ts";
import { generateTokens } from "../../../lib/engine/io/generate-tokens.ts";
import { cacheableSamplerOptions, freshSamplerConfig, installSamplerConfigCache } from "../../../lib/engine/io/sampler-config-cache.ts";
import { testFixture } from "../../helpers/fixtures.ts";

let model: LlamaModel;
beforeAll(async () => {
  model = await loadEngineModel(await openEngine(), (await testFixture("fx-8m")).path);
});
afterAll(async () => {
  await model.dispose();
});

describe("installSamplerConfigCache()", () => {
  test("installSamplerConfigCache() is in place once an engine is open (node-llama-cpp still has the private method)", () => {
    expect(installSamplerConfigCache()).toBe(true);
  });

  test("_resolveSamplerConfig() hands back one object per sequence while the options stay the same, equal to a fresh one", async () => {
    const context = await model.createContext({ contextSize: 256, sequences: 2 });
    const [a, b] = [context.getSequence(), context.getSequence()] as unknown as { _resolveSamplerConfig(o: object): object }[];
    const options = { temperature: 0.7, topK: 20, topP: 0.9, seed: 42 };
    const first = a!._resolveSamplerConfig({ ...options });
    expect(a!._resolveSamplerConfig({ ...options })).toBe(first);
    expect(first).toEqual(freshSamplerConfig(a!, { ...options }));
    expect(b!._resolveSamplerConfig({ ...options })).not.toBe(first); // per sequence
    const reseeded = a!._resolveSamplerConfig({ ...options, seed: 43 });
    expect(reseeded).not.toBe(first);
    expect(reseeded).toEqual(freshSamplerConfig(a!, { ...options, seed: 43 }));
    await context.dispose();
  });

  test.each([
    [{ seed: 1, temperature: 0.5 }, true],
    [{ temperature: 0.5 }, false], // no seed: node-llama-cpp seeds from the clock
    [{ seed: 1, repeatPenalty: { penalty: 1.1 } }, false],
    [{ seed: 1, tokenBias: {} }, true], // one generation's TokenBias, compared by identity
    [{ seed: 1, tokenBias: () => ({}) }, false],
    [{ seed: 1, grammarEvaluationState: () => null }, false],
  ])("cacheableSamplerOptions(%j) is %p", (options, expected) => {
    expect(cacheableSamplerOptions(options)).toBe(expected);
  });

  test("generateTokens() samples the same tokens with a seed as node-llama-cpp's uncached path", async () => {
    const context = await model.createContext({ contextSize: 256 });
    const sequence = context.getSequence();
    const prompt = [model.tokens.bos!, ...model.tokenize("once upon a time")] as Token[];
    const sample = async () => {
      const tokens: Token[] = [];
      for await (const c of generateTokens(sequence, prompt, { maxTokens: 24, temperature: 0.9, seed: 1234, ignoreEos: true, reusePrefix: false })) if (c.token !== null) tokens.push(c.token);
      return tokens;
    };
    const cached = await sample();
    // The same seeded generation through sequence.evaluate with a neutral repeat penalty (1.0): never cached.
    await sequence.clearHistory();
    const uncached: Token[] = [];
    for await (const t of sequence.evaluate(prompt as Token[], { temperature: 0.9, seed: 1234, yieldEogToken: true, repeatPenalty: { penalty: 1, punishTokens: () => [] } })) {
      uncached.push(t);
      if (uncached.length >= 24) break;
    }
    expect(cached.length).toBe(24);
    expect(cached).toEqual(uncached);
    await context.dispose();
  });
});
