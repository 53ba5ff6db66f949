/**
 * HTTP on a bare TCP socket, for what fetch cannot send: no Host, a bad Host, HTTP/1.0, malformed
 * chunked framing, a half-close, a body that never ends, a client that leaves mid-upload.
 */
import { connect, type Socket } from "node:net";

export type RawExchange = {
  /** Everything the server sent. */
  text: string;
  /** Milliseconds until the server closed the connection; null if it was still open at `waitMs`. */
  closedAfterMs: number | null;
};

export type RawOptions = {
  /** Half-close our side (send FIN) once the request is written. */
  halfClose?: boolean;
  /** Destroy the socket this long after writing (a client that leaves). */
  leaveAfterMs?: number;
  /** Give up (and close) after this long. Defaults to 5000. */
  waitMs?: number;
  /** Called with the socket once the request is written. */
  onWritten?: (socket: Socket) => void;
};

/** Sends `request` to `url`'s host and port and collects the answer until the server closes. */
export function rawExchange(url: string, request: string | Uint8Array, options: RawOptions = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    let text = "";
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedAfterMs: closed ? Math.round(performance.now() - started) : null });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 5000);
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.write(request, () => {
      if (options.halfClose) socket.end();
      if (options.leaveAfterMs !== undefined) setTimeout(() => finish(true), options.leaveAfterMs);
      options.onWritten?.(socket);
    });
  });
}

/** The status code of a raw answer (0 when there was none). */
export function rawStatus(exchange: RawExchange): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(exchange.text)?.[1] ?? 0);
}

/** The body of a raw answer, de-chunked when it was sent chunked. */
export function rawBody(exchange: RawExchange): string {
  const split = exchange.text.indexOf("\r\n\r\n");
  if (split === -1) return "";
  const head = exchange.text.slice(0, split).toLowerCase();
  let body = exchange.text.slice(split + 4);
  if (!head.includes("transfer-encoding: chunked")) return Buffer.from(body, "latin1").toString("utf8");
  let out = "";
  for (;;) {
    const eol = body.indexOf("\r\n");
    const size = eol === -1 ? 0 : parseInt(body.slice(0, eol), 16);
    if (!size) break;
    out += body.slice(eol + 2, eol + 2 + size);
    body = body.slice(eol + 2 + size + 2);
  }
  return Buffer.from(out, "latin1").toString("utf8");
}

/** Reads a Prometheus counter line of serve's /metrics (0 when absent). */
export async function requestCount(base: string, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`macprovider_requests_total{route="${route}",status="${status}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** Sum of every 5xx request count in /metrics. */
export async function serverErrorCount(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text.split("\n").filter((l) => /^macprovider_requests_total\{.*status="5\d\d"\}/.test(l)).reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
}
