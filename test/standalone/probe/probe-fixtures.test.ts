import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findLeakedSpecialText } from "../../../lib/probe/find-leaked-special-text.ts";
import { readProbeResponse, type RecordedResponse } from "../../../lib/probe/read-probe-response.ts";
import type { ProbeResult } from "../../../lib/probe/probe-result.ts";

const SSE_DIR = join(import.meta.dir, "../../../fixtures/sse");

/** A recorded `curl -si` response: status line and headers, a blank line, the body. */
function recorded(file: string): RecordedResponse {
  const raw = readFileSync(join(SSE_DIR, file), "utf8");
  const cut = raw.indexOf("\r\n\r\n");
  return { status: Number(raw.slice(0, cut).split(" ")[1]), body: raw.slice(cut + 4) };
}

/** A clock that advances 10 ms per reading: sent at 0, the k-th event at 10·k. */
function tickingClock(): () => number {
  let t = -10;
  return () => (t += 10);
}

type Row = { file: string; expected: Partial<ProbeResult>; leaked?: string[] };

const TABLE: Row[] = [
  { file: "chat-fx-1m.http", expected: { ok: true, status: 200, error: null, text: " st ab\uFFFD writ writ writ", ttftMs: 20, completionTokens: 6, promptTokens: 23 } },
  { file: "text-fx-1m.http", expected: { ok: true, status: 200, error: null, text: "r an stZ str", ttftMs: 10, completionTokens: 6, promptTokens: 8 } },
  { file: "keep-alive-comments.http", expected: { ok: true, error: null, text: "Hello", ttftMs: 50, completionTokens: 2 } },
  { file: "malformed-data.http", expected: { ok: false, text: "He", error: 'malformed SSE data: {"id":"chatcmpl-handmade","choices":[{"index":0,"delta":{"content":"ll' } },
  { file: "error-mid-stream.http", expected: { ok: false, text: "Hello", error: "stream error: generation failed: the context is full" } },
  { file: "no-done.http", expected: { ok: false, text: "Hello", completionTokens: 2, error: "the stream ended without [DONE]" } },
  { file: "leaked-special-text.http", expected: { ok: true, error: null }, leaked: ["<|im_end|>", "<|im_start|>"] },
  { file: "leaked-eos-text.http", expected: { ok: true, text: "Once</s> more" }, leaked: ["</s>"] },
  {
    file: "server-busy-503.http",
    expected: { ok: false, status: 503, ttftMs: null, text: "", error: "HTTP 503: server_busy: server busy: all sequences are busy and 0 request(s) are already queued; retry later" },
  },
];

describe("readProbeResponse() over the recorded SSE fixtures", () => {
  for (const row of TABLE) {
    test(`readProbeResponse() reads ${row.file}`, () => {
      const result = readProbeResponse(recorded(row.file), tickingClock());
      expect(result).toMatchObject(row.expected);
      expect(findLeakedSpecialText(result.text)).toEqual(row.leaked ?? []);
      // Failures are one line, never a thrown exception.
      if (result.error !== null) expect(result.error).not.toContain("\n");
    });
  }

  test("readProbeResponse() takes the decode rate from the usage count after the first delta", () => {
    const result = readProbeResponse(recorded("chat-fx-1m.http"), tickingClock());
    // 6 tokens, the first at 20 ms and the last at 60 ms: 5 tokens in 40 ms.
    expect(result.decodeTokensPerSecond).toBe(125);
    expect(result.serverTimings?.predicted_per_second).toBeGreaterThan(0);
  });
});
