import { describe, expect, test } from "bun:test";
import { DEFAULT_INLINE_DECODE_MS, InlineDecodePolicy, inlineDecodeCapMs } from "../../../lib/engine/inline-decode-policy.ts";

describe("inlineDecodeCapMs()", () => {
  test.each([
    [undefined, DEFAULT_INLINE_DECODE_MS],
    ["", DEFAULT_INLINE_DECODE_MS],
    ["0", 0],
    ["35", 35],
    ["2.5", 2.5],
    [" 8 ", 8],
    ["10000", 10000],
  ])("inlineDecodeCapMs() reads %p as %p", (value, ms) => {
    expect(inlineDecodeCapMs({ MACPROVIDER_INLINE_DECODE_MS: value })).toBe(ms);
  });

  test.each(["abc", "-5", "1e3", "20ms", "10001", "0x10", "Infinity"])("inlineDecodeCapMs() refuses %p naming the variable, the value and what is allowed", (value) => {
    expect(() => inlineDecodeCapMs({ MACPROVIDER_INLINE_DECODE_MS: value })).toThrow(
      `MACPROVIDER_INLINE_DECODE_MS (env) has invalid value ${JSON.stringify(value)}; allowed: milliseconds from 0 (never decode inline) to 10000`,
    );
  });
});

describe("InlineDecodePolicy", () => {
  test.each([
    [0, 1, false],
    [1, 1, true],
    [4, 4, true],
    [5, 4, false],
    [30, 1, false],
  ])("isStep() takes %p tokens on %p sequences as a step: %p", (tokens, sequences, step) => {
    expect(InlineDecodePolicy.isStep(tokens, sequences)).toBe(step);
  });

  test("wantsInline() starts inline and never is with a cap of 0", () => {
    expect(new InlineDecodePolicy(20).wantsInline()).toBe(true);
    expect(new InlineDecodePolicy(0).wantsInline()).toBe(false);
  });

  test("record() leaves inline once the average passes the cap and comes back under 3/4 of it", () => {
    const policy = new InlineDecodePolicy(20);
    const after = (ms: number[]) => ms.map((m) => (policy.record(m), policy.wantsInline()));
    // Short steps stay inline; one slow step among them does not move the average past the cap.
    expect(after([6, 6, 6, 60])).toEqual([true, true, true, true]);
    // A second one takes the average (16.8 ms) past 20 ms: the next steps go to the job.
    expect(after([60])).toEqual([false]);
    // Between 15 and 20 ms it stays on the job (no flipping near the cap)...
    const settled = after(Array(30).fill(17));
    expect(settled.every((inline) => !inline)).toBe(true);
    // ...and comes back once the average is under 15 ms.
    expect(after(Array(10).fill(5)).at(-1)).toBe(true);
  });

  test("wantsInlinePrompt() is false until a prompt step was measured, then true for steps expected within 5× the cap", () => {
    const policy = new InlineDecodePolicy(20);
    expect(policy.wantsInlinePrompt(31)).toBe(false);
    policy.recordPrompt(35, 31); // ~1.13 ms a token
    expect([policy.wantsInlinePrompt(31), policy.wantsInlinePrompt(88), policy.wantsInlinePrompt(89), policy.wantsInlinePrompt(512)]).toEqual([true, true, false, false]);
    expect(new InlineDecodePolicy(0).wantsInlinePrompt(1)).toBe(false);
  });

  test("recordPrompt() takes a costlier prompt token at once and a cheaper one halfway", () => {
    const policy = new InlineDecodePolicy(20);
    policy.recordPrompt(10, 10); // 1 ms a token: 100 tokens fit in 100 ms
    expect(policy.wantsInlinePrompt(100)).toBe(true);
    policy.recordPrompt(40, 10); // 4 ms a token, at once
    expect([policy.wantsInlinePrompt(25), policy.wantsInlinePrompt(26)]).toEqual([true, false]);
    policy.recordPrompt(20, 20); // 1 ms a token: the estimate goes halfway, to 2.5 ms
    expect([policy.wantsInlinePrompt(40), policy.wantsInlinePrompt(41)]).toEqual([true, false]);
  });

  test("recordPrompt() leaves the decode steps' choice alone", () => {
    const policy = new InlineDecodePolicy(20);
    policy.recordPrompt(500, 10);
    expect([policy.wantsInline(), policy.wantsInlinePrompt(10)]).toEqual([true, false]);
  });

  test("record() of a slow first step sends the next steps to the job", () => {
    const policy = new InlineDecodePolicy(20);
    policy.record(120);
    expect(policy.wantsInline()).toBe(false);
  });
});
