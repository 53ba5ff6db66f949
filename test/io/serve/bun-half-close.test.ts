/**
 * Why serve treats a half-closed client as one that left (issue 11, item 4): Bun's HTTP servers
 * close a connection as soon as the client's FIN arrives ("HTTP does not support half-closed
 * sockets, so simply close", bun-uws HttpContext.h), Bun.serve and node:http alike, before the
 * handler can answer. TCP cannot tell a half-close from a client that closed its socket and left,
 * and SRV-5 frees a departed client's sequence at once, so serve keeps Bun's reading: the request
 * is aborted and counted 499. If Bun ever keeps half-open connections, these tests fail first.
 */
import { describe, expect, test } from "bun:test";
import { createServer } from "node:http";
import { rawBody, rawExchange } from "../../model/serve-hostile/raw-http.ts";

const REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

describe("Bun's HTTP servers and a client that half-closes", () => {
  test("Bun.serve() cancels a streaming response when the client half-closes after its request", async () => {
    let cancelled: unknown = null;
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response(new ReadableStream({
        async pull(controller) {
          controller.enqueue("first\n");
          await Bun.sleep(200);
          controller.enqueue("second\n");
          controller.close();
        },
        cancel(reason) {
          cancelled = reason;
        },
      })),
    });
    try {
      const answer = await rawExchange(`http://127.0.0.1:${server.port}`, REQUEST, { halfClose: true });
      expect(rawBody(answer)).not.toContain("second");
      expect(String(cancelled)).toContain("The connection was closed");
    } finally {
      server.stop(true);
    }
  });

  test("Bun's node:http server closes the connection the same way", async () => {
    const server = createServer((_, res) => {
      res.write("first\n");
      setTimeout(() => res.end("second\n"), 200);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const answer = await rawExchange(`http://127.0.0.1:${port}`, REQUEST, { halfClose: true });
      expect(answer.text).not.toContain("second");
    } finally {
      server.close();
    }
  });
});
