/**
 * The OpenAI-compatible HTTP provider (SRV-1…7) on Bun's server. It listens before the model is
 * loaded so `/health` can answer 503 while loading; `attach()` makes it ready. Nothing from a
 * failure inside the server reaches a client but an OpenAI error body, and /metrics counts every
 * request with the status its client was given.
 */
import type { Server } from "bun";
import { logger } from "../../cli/io/logger.ts";
import { ApiError } from "../api-error.ts";
import { ProviderMetrics } from "../provider-metrics.ts";
import { requestPath, routeLabel } from "../serve-routes.ts";
import { drainServer } from "./drain-server.ts";
import type { ProviderEngine } from "./provider-engine.ts";
import { routeRequest, type ServerState } from "./route-request.ts";

export const MAX_BODY_BYTES = 1024 * 1024;
/** How long a request body may take to arrive, in all (a client trickling bytes included). */
export const BODY_DEADLINE_MS = 10_000;
/**
 * Bun's idle timeout, in seconds: closes connections idle between requests, and uploads slower
 * than 16 KiB/s. Above BODY_DEADLINE_MS so the body deadline answers first, with a 408. Bun
 * itself drops a connection whose headers are not complete in about 10 s.
 */
const IDLE_TIMEOUT_S = 15;

export type ProviderServerOptions = {
  host: string;
  port: number;
  apiKey: string | null;
  /** Static facts for /v1/capacity (knobs and where each came from). */
  capacity: Record<string, unknown>;
};

export type ProviderServer = {
  url: string;
  /** Model loaded: start serving completions. */
  attach(engine: ProviderEngine): void;
  /** Stop accepting, let in-flight generations finish within graceMs, abort the rest. */
  drain(graceMs: number): Promise<{ aborted: number }>;
};

export function startProviderServer(options: ProviderServerOptions): ProviderServer {
  const state: ServerState = {
    options: { apiKey: options.apiKey, capacity: options.capacity, body: { maxBytes: MAX_BODY_BYTES, deadlineMs: BODY_DEADLINE_MS } },
    metrics: new ProviderMetrics(),
    phase: "loading",
    engine: null,
    running: new Set(),
  };
  const server: Server<undefined> = Bun.serve({
    hostname: options.host,
    port: options.port,
    // Production mode: an exception never becomes Bun's HTML page with the stack and the source.
    development: false,
    idleTimeout: IDLE_TIMEOUT_S,
    // Bun's own limit answers with a bare 413; ours answers in OpenAI's shape, so Bun's never trips.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    async fetch(req, srv) {
      const arrivedAt = performance.now();
      const path = requestPath(req.url);
      const count = (status: number) => state.metrics.countRequest(routeLabel(path), status);
      try {
        const routed = await routeRequest(state, req, srv, path, arrivedAt);
        if (routed instanceof Response) {
          count(routed.status);
          return routed;
        }
        void routed.ended.then(count);
        return routed.response;
      } catch (error) {
        const response = errorResponse(error);
        count(response.status);
        return response;
      }
    },
    // Only reached if something escapes the handler above; still an OpenAI body, still counted.
    error(error) {
      state.metrics.countRequest("other", 500);
      return errorResponse(error);
    },
  });

  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${server.port}`,
    attach(e) {
      if (state.phase === "draining") return; // a signal came while the model was loading
      state.engine = e;
      state.phase = "ready";
    },
    drain: (graceMs) => drainServer(state, server, graceMs),
  };
}

/** An ApiError as it is; anything else as a 500 whose stack goes to the log, never to the client. */
function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return error.toResponse();
  logger.error("request failed:", error);
  return new ApiError(500, `internal error: ${(error as Error)?.message ?? String(error)}`, "internal_error").toResponse();
}
