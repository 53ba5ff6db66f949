/**
 * Why /metrics counts a malformed chunked body as 499 (issue 11, item 3): Bun's parser answers the
 * bad framing itself (a bare 400) and closes the connection; the handler reading the body sees only
 * "The connection was closed", exactly what it sees when a client leaves mid-upload. Neither is a
 * server error; serve cannot tell them apart, so both count as a client that went away.
 */
import { describe, expect, test } from "bun:test";
import { rawExchange, rawStatus } from "../../model/serve-hostile/raw-http.ts";

describe("Bun.serve() and a request body that never completes", () => {
  test("Bun.serve() reports a malformed chunked body and an abandoned upload to the handler the same way", async () => {
    const seen: string[] = [];
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        try {
          await req.arrayBuffer();
          return new Response("read");
        } catch (error) {
          seen.push(`${(error as Error).name}: ${(error as Error).message} (aborted ${req.signal.aborted})`);
          return new Response("unreadable", { status: 400 });
        }
      },
    });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const malformed = await rawExchange(url, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
      expect(rawStatus(malformed)).toBe(400);
      expect(malformed.text).toBe("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"); // Bun's own answer, no body
      await rawExchange(url, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{", { leaveAfterMs: 50 });
      for (let i = 0; i < 40 && seen.length < 2; i++) await Bun.sleep(25);
      expect(seen).toEqual(["AbortError: The connection was closed. (aborted true)", "AbortError: The connection was closed. (aborted true)"]);
    } finally {
      server.stop(true);
    }
  });
});
