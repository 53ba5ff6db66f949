/**
 * The OpenAI-compatible HTTP provider (SRV-1…7) on Bun's server. It listens before the model is
 * loaded so `/health` can answer 503 while loading; `attach()` makes it ready.
 */
import type { Server } from "bun";
import { ApiError } from "../api-error.ts";
import { parseCompletionRequest, type CompletionRequest } from "../parse-completion-request.ts";
import { ProviderMetrics } from "../provider-metrics.ts";
import { openCompletionSession, SHUTDOWN, shuttingDown, type CompletionSession } from "./completion-session.ts";
import type { ProviderEngine } from "./provider-engine.ts";
import { readJsonBody } from "./read-json-body.ts";
import { renderJsonCompletion, renderSseCompletion } from "./render-completion.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

const KNOWN_ROUTES = new Set(["/health", "/metrics", "/v1/models", "/v1/capacity", "/v1/chat/completions", "/v1/completions"]);
const ABORT_WAIT_MS = 5000;
const WRITE_WAIT_MS = 1000;

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

type Phase = "loading" | "ready" | "draining";

/** What the request handlers and the drain share. */
type ServerState = { options: ProviderServerOptions; metrics: ProviderMetrics; phase: Phase; engine: ProviderEngine | null; running: Set<CompletionSession> };

export function startProviderServer(options: ProviderServerOptions): ProviderServer {
  const state: ServerState = { options, metrics: new ProviderMetrics(), phase: "loading", engine: null, running: new Set() };
  const server: Server<undefined> = Bun.serve({
    hostname: options.host,
    port: options.port,
    idleTimeout: 0, // generations can be silent for longer than Bun's 10 s default
    maxRequestBodySize: MAX_BODY_BYTES * 2, // our own check answers 413 with a body; this is the hard stop
    async fetch(req) {
      const arrivedAt = performance.now();
      const path = new URL(req.url).pathname;
      let response: Response;
      try {
        response = await route(state, req, path, arrivedAt);
      } catch (error) {
        response = error instanceof ApiError
          ? error.toResponse()
          : new ApiError(500, `internal error: ${(error as Error).message}`, "internal_error").toResponse();
      }
      state.metrics.countRequest(KNOWN_ROUTES.has(path) ? path : "other", response.status);
      return response;
    },
  });

  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${server.port}`,
    attach(e) {
      if (state.phase === "draining") return; // a signal came while the model was loading
      state.engine = e;
      state.phase = "ready";
    },
    drain: (graceMs) => drain(state, server, graceMs),
  };
}

async function route(state: ServerState, req: Request, path: string, arrivedAt: number): Promise<Response> {
  const { phase, engine, options } = state;
  if (path === "/health") {
    return phase === "ready"
      ? Response.json({ status: "ok" })
      : Response.json({ status: phase === "loading" ? "loading model" : "shutting down" }, { status: 503 });
  }
  if (path === "/metrics") {
    return new Response(state.metrics.render({ inFlight: engine?.pool.inFlight ?? 0, queued: engine?.pool.queued ?? 0, ready: phase === "ready" }), {
      headers: { "content-type": "text/plain; version=0.0.4" },
    });
  }
  if (!path.startsWith("/v1/")) throw new ApiError(404, `no route for ${req.method} ${path}`, "not_found");
  if (options.apiKey !== null && req.headers.get("authorization") !== `Bearer ${options.apiKey}`) {
    throw new ApiError(401, "missing or wrong API key: send Authorization: Bearer <key>", "invalid_api_key");
  }
  if (path === "/v1/capacity" && req.method === "GET") {
    return Response.json({
      ...options.capacity,
      // What was asked of llama.cpp after the quantized-KV rule; "auto" = llama.cpp decides at
      // context creation (node-llama-cpp does not report its choice).
      flash_attention_effective: engine?.context.flashAttention ?? null,
      ready: phase === "ready",
      in_flight: engine?.pool.inFlight ?? 0,
      queued: engine?.pool.queued ?? 0,
    });
  }
  if (phase === "loading" || !engine) throw new ApiError(503, "the model is still loading", "model_loading", null, {}, { "retry-after": "1" });
  if (phase === "draining") throw shuttingDown();
  if (path === "/v1/models") {
    if (req.method !== "GET") throw new ApiError(405, `${path} takes GET`, "method_not_allowed");
    return Response.json({ object: "list", data: [{ id: engine.modelId, object: "model", created: 0, owned_by: "macprovider" }] });
  }
  const kind = path === "/v1/chat/completions" ? "chat" : path === "/v1/completions" ? "text" : null;
  if (kind === null) throw new ApiError(404, `no route for ${req.method} ${path}`, "not_found");
  if (req.method !== "POST") throw new ApiError(405, `${path} takes POST`, "method_not_allowed");
  return complete(state, engine, parseCompletionRequest(kind, await readJsonBody(req, MAX_BODY_BYTES)), req.signal, arrivedAt);
}

async function complete(state: ServerState, engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal, arrivedAt: number): Promise<Response> {
  if (request.model !== null && request.model !== engine.modelId) {
    throw new ApiError(404, `model "${request.model}" is not served here; this provider serves "${engine.modelId}"`, "model_not_found", "model");
  }
  const session = await openCompletionSession(engine, request, clientSignal, arrivedAt, {
    onStart(session) {
      state.running.add(session);
      void session.released.then(() => state.running.delete(session));
    },
    onEnd: (stats, queuedMs) => state.metrics.recordGeneration(stats, queuedMs),
  });
  return request.stream ? renderSseCompletion(session, request.includeUsage) : renderJsonCompletion(session);
}

/** Stop accepting; in-flight generations may finish within graceMs, then the rest are aborted. */
async function drain(state: ServerState, server: Server<undefined>, graceMs: number): Promise<{ aborted: number }> {
  const { running } = state;
  state.phase = "draining";
  state.engine?.pool.close(); // queued requests get 503 shutting_down
  void server.stop(false); // no new connections
  const settled = () => Promise.all([...running].map((r) => r.released));
  const deadline = performance.now() + graceMs;
  // Loop: a request may take a slot after a snapshot (it was past the phase check already).
  while (running.size > 0 && performance.now() < deadline) {
    await Promise.race([settled(), Bun.sleep(Math.max(0, deadline - performance.now()))]);
  }
  let aborted = 0;
  for (const r of running) {
    r.abort(SHUTDOWN);
    aborted++;
  }
  // An aborted generation ends within one decode; don't hang on a stuck one.
  await Promise.race([settled(), Bun.sleep(ABORT_WAIT_MS)]);
  // A finished generation's response may still be on its way out: let Bun write it.
  const writeDeadline = performance.now() + WRITE_WAIT_MS;
  while (server.pendingRequests > 0 && performance.now() < writeDeadline) await Bun.sleep(10);
  await server.stop(true);
  return { aborted };
}
