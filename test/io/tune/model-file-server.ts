/**
 * Local HTTP servers on 127.0.0.1 that serve a model file the ways a real host can: whole, as an HTTP
 * 500, as a body cut short of its Content-Length, and as a Hugging Face endpoint (manifest + resolve).
 */
export type ModelFileServer = { url: string; requests: string[]; stop(): void };

/** `GET /<name>` answers with `bytes`; `/fail` with HTTP 500; `/v2/<owner>/<repo>/manifests/<tag>` and `/<owner>/<repo>/resolve/main/<file>` as the Hub does. */
export function serveModelFile(bytes: Uint8Array, hubFileName = "Model-Q8_0.gguf"): ModelFileServer {
  const requests: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    development: false,
    fetch(req) {
      const path = new URL(req.url).pathname;
      requests.push(`${req.method} ${path}`);
      if (path === "/fail") return new Response("upstream broke", { status: 500 });
      const manifest = /^\/v2\/[^/]+\/[^/]+\/manifests\/[^/]+$/.test(path);
      if (manifest) return Response.json({ ggufFile: { rfilename: hubFileName, size: bytes.length } });
      return new Response(bytes, { headers: { "content-type": "application/octet-stream" } });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

/** A raw HTTP/1.1 server that announces `bytes.length` but sends only the first half, then closes. */
export function serveCutShort(bytes: Uint8Array): ModelFileServer {
  const requests: string[] = [];
  const server = Bun.listen<{ answered: boolean }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { answered: false };
      },
      data(socket, chunk) {
        if (socket.data.answered) return;
        socket.data.answered = true;
        requests.push(chunk.toString("latin1").split("\r\n")[0]!);
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
        socket.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        socket.end();
      },
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

/** A loopback port with nothing listening on it. */
export function refusedUrl(): string {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return `http://127.0.0.1:${port}`;
}

/** Announces `bytes.length` and sends `chunk` bytes every `everyMs`: a download that takes a while. */
export function serveSlowly(bytes: Uint8Array, chunk: number, everyMs: number): ModelFileServer {
  const requests: string[] = [];
  const server = Bun.listen<{ timer?: ReturnType<typeof setInterval> }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = {};
      },
      data(socket, data) {
        if (socket.data.timer) return;
        requests.push(data.toString("latin1").split("\r\n")[0]!);
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
        let sent = 0;
        socket.data.timer = setInterval(() => {
          socket.write(bytes.subarray(sent, sent + chunk));
          sent += chunk;
          if (sent >= bytes.length) {
            clearInterval(socket.data.timer);
            socket.end();
          }
        }, everyMs);
      },
      close(socket) {
        clearInterval(socket.data.timer);
      },
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
