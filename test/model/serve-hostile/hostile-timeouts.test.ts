/**
 * serve's time bounds (issue 11), against a real serve subprocess: a request whose body never
 * finishes gets 408 at the body deadline (10 s), headers that never finish are dropped by Bun
 * (about 10 s), and a connection that waits silently for its answer (queued, or a long prefill)
 * is never cut by the idle timeout (15 s) that bounds receiving.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testFixture } from "../../helpers/fixtures.ts";
import { readSse, startServe, type ServeProcess } from "../../helpers/serve-process.ts";
import { rawBody, rawExchange, rawStatus, requestCount } from "./raw-http.ts";

let s: ServeProcess;
beforeAll(async () => {
  s = await startServe(["--model", (await testFixture("fx-1m")).path, "--threads", "1", "--max-context", "32768", "--max-batch", "1"]);
});
afterAll(async () => {
  await s?.stop();
});

const post = (path: string, body: unknown) => fetch(`${s.url}${path}`, { method: "POST", body: JSON.stringify(body) });

describe("serve: time bounds", () => {
  test.concurrent("a body that never finishes gets 408 with OpenAI's error body after 10 s, and the connection is closed", async () => {
    const answer = await rawExchange(s.url, "POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n{\"prompt\":", { waitMs: 20_000 });
    expect(rawStatus(answer)).toBe(408);
    expect(JSON.parse(rawBody(answer)).error).toMatchObject({ code: "request_timeout" });
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(9_900);
    expect(answer.closedAfterMs).toBeLessThan(14_000);
    expect(await requestCount(s.url, "/v1/completions", 408)).toBeGreaterThanOrEqual(1);
  }, 30_000);

  test.concurrent("a body trickled a byte at a time is cut at the same deadline", async () => {
    const answer = await rawExchange(s.url, "POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n", {
      waitMs: 20_000,
      onWritten(socket) {
        const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write(" ")), 500);
      },
    });
    expect(rawStatus(answer)).toBe(408);
    expect(answer.closedAfterMs).toBeLessThan(14_000);
  }, 30_000);

  test.concurrent("headers that never finish are dropped by Bun within about 10 s", async () => {
    const answer = await rawExchange(s.url, "POST /v1/completions HTTP/1.1\r\nHost: a\r\nContent-Le", { waitMs: 20_000 });
    expect(answer.closedAfterMs).not.toBeNull();
    expect(answer.closedAfterMs).toBeLessThan(14_000);
  }, 30_000);

  test.concurrent("a queued stream and a queued request that wait silently past the idle timeout still get their whole answers", async () => {
    const running = await post("/v1/completions", { prompt: "Once", max_tokens: 30000, ignore_eos: true, stream: true });
    const reader = running.body!.getReader();
    await reader.read();
    const queuedStream = post("/v1/completions", { prompt: "Twice", max_tokens: 5, ignore_eos: true, stream: true });
    const queuedPlain = post("/v1/completions", { prompt: "Thrice", max_tokens: 5, ignore_eos: true });
    await Bun.sleep(17_000); // past the 15 s idle timeout, not a byte sent to either
    await reader.cancel();
    const events = await readSse(await queuedStream);
    expect(events.at(-1)).toBe("[DONE]");
    const plain = await queuedPlain;
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as any).usage.completion_tokens).toBe(5);
  }, 40_000);
});
