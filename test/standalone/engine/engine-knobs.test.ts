import { describe, expect, test } from "bun:test";
import { contextOptionsFromKnobs, effectiveFlashAttention, type EngineKnobs } from "../../../lib/engine/engine-knobs.ts";

const base: EngineKnobs = { kvBits: null, maxContext: 4096, maxBatch: 2, threads: 1, flashAttention: "off" };

describe("contextOptionsFromKnobs()", () => {
  test.each([
    [null, "F16"],
    [8, "Q8_0"],
    [4, "Q4_0"],
  ] as const)("contextOptionsFromKnobs() maps kvBits %p to %p keys and values", (kvBits, type) => {
    const options = contextOptionsFromKnobs({ ...base, kvBits });
    expect(options.experimentalKvCacheKeyType).toBe(type);
    expect(options.experimentalKvCacheValueType).toBe(type);
  });

  test("contextOptionsFromKnobs() passes context per sequence, sequences and exact threads", () => {
    const options = contextOptionsFromKnobs(base);
    expect(options.contextSize).toBe(4096);
    expect(options.sequences).toBe(2);
    expect(options.threads).toEqual({ ideal: 1, min: 1 });
    expect(options.failedCreationRemedy).toBe(false);
  });
});

describe("effectiveFlashAttention()", () => {
  test.each([
    [null, "off", false],
    [null, "on", true],
    [null, "auto", "auto"],
    [8, "off", true],
    [4, "auto", true],
  ] as const)("effectiveFlashAttention(kvBits %p, %p) is %p", (kvBits, flashAttention, expected) => {
    expect(effectiveFlashAttention({ kvBits, flashAttention })).toBe(expected);
  });
});
