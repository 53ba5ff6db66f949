import { describe, expect, test } from "bun:test";
import { resolveStage1Options, stage1Inputs } from "../../../lib/tune/stage1-options.ts";
import { stage1ProbeRequest } from "../../../lib/tune/stage1-probe-request.ts";
import { prewarmDoc } from "./stage1-test-docs.ts";

describe("resolveStage1Options()", () => {
  test("resolveStage1Options() takes the document's inputs, then the defaults", () => {
    expect(resolveStage1Options(prewarmDoc().inputs, {}, 2)).toEqual({ targetContext: 4096, replicates: 3, gateTtftMs: 1500, threads: 2, loadTimeoutMs: 300_000, maxTokens: 16 });
    expect(resolveStage1Options({}, {}, 8)).toEqual({ targetContext: 8192, replicates: 2, gateTtftMs: 2000, threads: 8, loadTimeoutMs: 300_000, maxTokens: 16 });
  });

  test("resolveStage1Options() lets each flag override the document", () => {
    const flags = { targetContext: "2048", stage1Replicates: "1", gateTtftMs: "1", threads: "1", loadTimeoutMs: "5000" };
    expect(resolveStage1Options(prewarmDoc().inputs, flags, 2)).toMatchObject({ targetContext: 2048, replicates: 1, gateTtftMs: 1, threads: 1, loadTimeoutMs: 5000 });
  });

  const bad: [Record<string, string>, string][] = [
    [{ targetContext: "0" }, '--target-context must be an integer from 1 to 10000000, got "0"'],
    [{ stage1Replicates: "two" }, '--stage1-replicates must be an integer from 1 to 100, got "two"'],
    [{ gateTtftMs: "1.5" }, '--gate-ttft-ms must be an integer from 1 to 3600000, got "1.5"'],
    [{ threads: "-2" }, '--threads must be an integer from 1 to 1024, got "-2"'],
    [{ loadTimeoutMs: "10" }, '--load-timeout-ms must be an integer from 1000 up, got "10"'],
  ];
  for (const [flags, message] of bad) {
    test(`resolveStage1Options() refuses ${JSON.stringify(flags)}`, () => expect(() => resolveStage1Options({}, flags, 2)).toThrow(message));
  }

  test("stage1Inputs() writes the settings into the inputs carried forward", () => {
    const inputs = stage1Inputs(prewarmDoc().inputs, resolveStage1Options(prewarmDoc().inputs, { gateTtftMs: "900", targetContext: "1024" }, 2));
    expect(inputs).toMatchObject({ target_context: 1024, stage1_replicates: 3, gate_ttft_ms: 900, stage2_replicates: 3, catalog: "c.yaml" });
  });
});

describe("stage1ProbeRequest()", () => {
  test("stage1ProbeRequest() asks for an exact token count and no prompt cache", () => {
    expect(stage1ProbeRequest(1)).toMatchObject({ max_tokens: 16, ignore_eos: true, cache_prompt: false });
    expect(stage1ProbeRequest(1, { maxTokens: 4 })).toMatchObject({ max_tokens: 4 });
  });

  test("stage1ProbeRequest() starts each request differently, so no replicate reuses another's prompt", () => {
    const first = JSON.stringify(stage1ProbeRequest(1));
    const second = JSON.stringify(stage1ProbeRequest(2));
    expect(first).not.toBe(second);
    expect(first.length).toBe(second.length);
  });

  test("stage1ProbeRequest() sends a prompt of a few hundred words", () => {
    const words = (stage1ProbeRequest(1).messages as { content: string }[]).map((m) => m.content).join(" ").split(/\s+/).length;
    expect(words).toBeGreaterThan(300);
    expect(words).toBeLessThan(600);
  });
});
