import { describe, expect, test } from "bun:test";
import { judgeCandidate, type CandidateMeasurement, type RequestOutcome } from "../../../lib/tune/judge-candidate.ts";

const ok = (ttftMs: number, text = "fine text"): RequestOutcome => ({ ok: true, ttftMs, completionTokens: 16, decodeTokensPerSecond: 50, error: null, text });
const failed = (error: string, ttftMs: number | null = null): RequestOutcome => ({ ok: false, ttftMs, completionTokens: null, decodeTokensPerSecond: null, error, text: "" });
const measured = (replicates: RequestOutcome[], extra: Partial<CandidateMeasurement> = {}): CandidateMeasurement => ({
  ready: true, readyError: null, loadMs: 900, warmup: ok(3000), replicates, ...extra,
});
const GATE = { gateTtftMs: 2000, replicates: 2 };

describe("judgeCandidate()", () => {
  const table: { name: string; m: CandidateMeasurement; feasible: boolean; reason: string | null; p95?: number | null; errors?: number }[] = [
    { name: "passes two replicates within the gate (the warm-up's TTFT does not count)", m: measured([ok(1500), ok(1999.9)]), feasible: true, reason: null, p95: 1999.9, errors: 0 },
    { name: "fails a TTFT p95 a hair over the gate", m: measured([ok(1500), ok(2000.01)]), feasible: false, reason: "TTFT p95 2001 ms > gate 2000 ms" },
    { name: "passes a TTFT p95 exactly at the gate", m: measured([ok(2000), ok(100)]), feasible: true, reason: null, p95: 2000 },
    { name: "fails a TTFT p95 over the gate", m: measured([ok(1500), ok(2345.6)]), feasible: false, reason: "TTFT p95 2346 ms > gate 2000 ms", p95: 2345.6 },
    {
      name: "fails a provider that exited while starting",
      m: measured([], { ready: false, readyError: "serve exited (code 78) before it was ready: bad model", loadMs: null, warmup: null }),
      feasible: false, reason: "not ready: serve exited (code 78) before it was ready: bad model", p95: null, errors: 1,
    },
    { name: "fails a failed warm-up", m: measured([], { warmup: failed("HTTP 503: server_busy: busy") }), feasible: false, reason: "warm-up request failed: HTTP 503: server_busy: busy", errors: 1 },
    { name: "fails when the warm-up never ran", m: measured([], { warmup: null }), feasible: false, reason: "the warm-up request was not sent" },
    {
      name: "fails a replicate with no first token by 3× the gate, even if the other was fast",
      m: measured([ok(100), failed("no first token within 6000 ms")]), feasible: false, reason: "replicate 2/2 failed: no first token within 6000 ms", p95: 100, errors: 1,
    },
    { name: "fails a replicate whose first token came after 3× the gate", m: measured([ok(6001), ok(100)]), feasible: false, reason: "replicate 1/2: no first token by 6000 ms (3× the gate)" },
    { name: "fails a replicate that streamed no content", m: measured([{ ...ok(0), ttftMs: null }, ok(100)]), feasible: false, reason: "replicate 1/2 streamed no content" },
    { name: "fails leaked special text even when fast", m: measured([ok(100), ok(120, "story<|im_end|>")]), feasible: false, reason: 'replicate 2/2 leaked special text "<|im_end|>"' },
    { name: "fails when replicates are missing (the walk was cut short)", m: measured([ok(100)]), feasible: false, reason: "only 1 of 2 replicates ran" },
  ];
  for (const row of table) {
    test(`judgeCandidate() ${row.name}`, () => {
      const v = judgeCandidate(row.m, GATE);
      expect({ feasible: v.feasible, reason: v.reason }).toEqual({ feasible: row.feasible, reason: row.reason });
      if (row.p95 !== undefined) expect(v.ttftP95Ms).toBe(row.p95);
      if (row.errors !== undefined) expect(v.errors).toBe(row.errors);
    });
  }

  test("judgeCandidate() searches the model's own special texts too", () => {
    const v = judgeCandidate(measured([ok(100, "a<|turn|>"), ok(100)]), { ...GATE, specials: ["<|turn|>"] });
    expect(v.reason).toBe('replicate 1/2 leaked special text "<|turn|>"');
    expect(v.replicates[0]!.leaked).toEqual(["<|turn|>"]);
  });

  test("judgeCandidate() reports each replicate as the document records it", () => {
    const v = judgeCandidate(measured([ok(1234.567), failed("stream error: boom", 50)]), GATE);
    expect(v.replicates).toEqual([
      { ok: true, ttft_ms: 1234.6, completion_tokens: 16, decode_tps: 50, error: null, leaked: [] },
      { ok: false, ttft_ms: 50, completion_tokens: null, decode_tps: null, error: "stream error: boom", leaked: [] },
    ]);
  });
});
