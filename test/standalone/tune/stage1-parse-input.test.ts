import { describe, expect, test } from "bun:test";
import { parseStage1Input } from "../../../lib/tune/stage1-parse-input.ts";
import { stage1SkipReason } from "../../../lib/tune/stage1-skip-reason.ts";
import type { PrewarmCandidate } from "../../../lib/tune/tune-documents.ts";
import { candidate, prewarmDoc } from "./stage1-test-docs.ts";

describe("parseStage1Input()", () => {
  test("parseStage1Input() accepts a prewarm document", () => {
    const doc = prewarmDoc();
    expect(parseStage1Input(JSON.stringify(doc))).toEqual(doc);
  });

  const bad: [string, string][] = [
    ["{", "stage1: the input is not JSON"],
    ["[]", "stage1: the input is not a prewarm document: expected a JSON object"],
    [JSON.stringify({ ...prewarmDoc(), stage: "stage1" }), 'stage1: the input is not a prewarm document: "stage" is "stage1", expected "prewarm"'],
    [JSON.stringify({ ...prewarmDoc(), run_id: 7 }), "stage1: malformed prewarm document: run_id must be a non-empty string, got 7"],
    [JSON.stringify({ ...prewarmDoc(), machine: null }), "stage1: malformed prewarm document: machine must be an object, got null"],
    [JSON.stringify({ ...prewarmDoc(), inputs: { ...prewarmDoc().inputs, gate_ttft_ms: "fast" } }), 'stage1: malformed prewarm document: inputs.gate_ttft_ms must be a number, got "fast"'],
    [JSON.stringify({ ...prewarmDoc(), exit_reason: "oops" }), "stage1: malformed prewarm document: exit_reason must be null or one of"],
    [JSON.stringify({ ...prewarmDoc(), candidates: {} }), "stage1: malformed prewarm document: candidates must be a list, got {}"],
    [JSON.stringify(prewarmDoc([candidate("a"), candidate("b", { size_b: -1 })])), "stage1: malformed prewarm document: candidates[1].size_b must be a number ≥ 0, got -1"],
    [JSON.stringify(prewarmDoc([candidate("a", { status: "ready" as never })])), "stage1: malformed prewarm document: candidates[0].status must be one of warmed, transient, integrity, too_big"],
    [JSON.stringify(prewarmDoc([candidate("a", { path: 3 as never })])), "stage1: malformed prewarm document: candidates[0].path must be a string or null, got 3"],
    [JSON.stringify(prewarmDoc([candidate("a"), candidate("a")])), 'stage1: malformed prewarm document: candidates[1].name "a" is listed twice'],
  ];
  for (const [text, message] of bad) {
    test(`parseStage1Input() refuses with "${message.slice(0, 70)}…"`, () => {
      expect(() => parseStage1Input(text)).toThrow(message);
      try {
        parseStage1Input(text);
      } catch (error) {
        expect((error as Error).message).not.toContain("\n");
      }
    });
  }
});

describe("stage1SkipReason()", () => {
  const table: [Partial<PrewarmCandidate>, string | null][] = [
    [{}, null],
    [{ path: null }, "pre-warm left no local file"],
    [{ status: "too_big", path: null, reason: "needs 40 GB, budget 16 GB" }, "too big for this machine: needs 40 GB, budget 16 GB"],
    [{ status: "transient", path: null, reason: "download timed out" }, "pre-warm failed (transient): download timed out"],
    [{ status: "integrity", reason: "bad magic" }, "integrity failure: bad magic"],
    [{ status: "too_big", reason: null }, "too big for this machine: no reason recorded"],
  ];
  for (const [extra, reason] of table) {
    test(`stage1SkipReason() gives ${JSON.stringify(reason)} for ${JSON.stringify(extra)}`, () => expect(stage1SkipReason(candidate("m", extra))).toBe(reason));
  }
});
