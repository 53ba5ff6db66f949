import { afterAll, describe, expect, test } from "bun:test";
import { probeCompletion } from "../../../lib/probe/io/probe-completion.ts";

// A scripted SSE server on 127.0.0.1: each route plays a list of [delay ms, raw event] steps.
const scripts: Record<string, [number, string][]> = {
  "/ok": [
    [30, `data: ${JSON.stringify({ choices: [{ delta: { role: "assistant", content: "" } }] })}\n\n`],
    [0, `data: ${JSON.stringify({ choices: [{ delta: { content: "Hel" } }] })}\n\n`],
    [20, `data: ${JSON.stringify({ choices: [{ delta: { content: "lo" } }] })}\n\n`],
    [0, `data: ${JSON.stringify({ choices: [{ text: "!" }] })}\n\n`],
    [0, `data: ${JSON.stringify({ choices: [], usage: { completion_tokens: 3, prompt_tokens: 7 } })}\n\n`],
    [0, "data: [DONE]\n\n"],
  ],
  "/error": [[0, `data: ${JSON.stringify({ choices: [{ delta: { content: "a" } }] })}\n\n`], [0, `data: ${JSON.stringify({ error: { message: "boom" } })}\n\n`]],
  "/cut": [[0, `data: ${JSON.stringify({ choices: [{ delta: { content: "a" } }] })}\n\n`]],
  "/slow": [[2000, `data: ${JSON.stringify({ choices: [{ delta: { content: "late" } }] })}\n\n`]],
};

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/busy") return Response.json({ error: { message: "busy" } }, { status: 503 });
    const steps = scripts[path]!;
    const stream = new ReadableStream({
      async start(controller) {
        for (const [delay, event] of steps) {
          await Bun.sleep(delay);
          try { controller.enqueue(new TextEncoder().encode(event)); } catch { return; }
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  },
});
afterAll(() => server.stop(true));
const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;

describe("probeCompletion()", () => {
  test("probeCompletion() times the first content delta, not the role chunk, and reads usage", async () => {
    const r = await probeCompletion(url("/ok"), {});
    expect(r).toMatchObject({ ok: true, status: 200, text: "Hello!", completionTokens: 3, promptTokens: 7, error: null });
    expect(r.ttftMs!).toBeGreaterThanOrEqual(25);
    expect(r.decodeTokensPerSecond).toBeGreaterThan(0);
  });

  test("probeCompletion() fails on an in-stream error event", async () => {
    expect(await probeCompletion(url("/error"), {})).toMatchObject({ ok: false, error: "stream error: boom", text: "a" });
  });

  test("probeCompletion() fails a stream that ends without [DONE]", async () => {
    expect(await probeCompletion(url("/cut"), {})).toMatchObject({ ok: false, error: "the stream ended without [DONE]" });
  });

  test("probeCompletion() fails an HTTP error with its status", async () => {
    const r = await probeCompletion(url("/busy"), {});
    expect(r).toMatchObject({ ok: false, status: 503, ttftMs: null });
    expect(r.error).toContain("HTTP 503");
  });

  test("probeCompletion() aborts when no first token arrives in time", async () => {
    const r = await probeCompletion(url("/slow"), {}, { firstTokenTimeoutMs: 100 });
    expect(r).toMatchObject({ ok: false, ttftMs: null, error: "no first token within 100 ms" });
    expect(r.totalMs).toBeLessThan(1500);
  });
});
