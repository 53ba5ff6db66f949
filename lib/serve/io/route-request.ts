/**
 * One HTTP request to its answer: route and method (404 / 405 with Allow), key, phase (503 while
 * loading or draining), then the handler. Every refusal is an ApiError in OpenAI's shape.
 */
import type { Server } from "bun";
import { ApiError } from "../api-error.ts";
import { parseCompletionRequest, type CompletionRequest } from "../parse-completion-request.ts";
import type { ProviderMetrics } from "../provider-metrics.ts";
import { ROUTES } from "../serve-routes.ts";
import { openCompletionSession, shuttingDown, type CompletionSession } from "./completion-session.ts";
import type { ProviderEngine } from "./provider-engine.ts";
import { readJsonBody, type BodyLimits } from "./read-json-body.ts";
import { renderJsonCompletion, renderSseCompletion } from "./render-completion.ts";

export type ServerOptions = {
  apiKey: string | null;
  /** Static facts for /v1/capacity (knobs and where each came from). */
  capacity: Record<string, unknown>;
  body: BodyLimits;
};

/** What the request handlers and the drain share. */
export type ServerState = {
  options: ServerOptions;
  metrics: ProviderMetrics;
  phase: "loading" | "ready" | "draining";
  engine: ProviderEngine | null;
  running: Set<CompletionSession>;
};

/** A response, and for a stream the status it ended with (counted then, not when headers went out). */
export type Routed = Response | { response: Response; ended: Promise<number> };

export async function routeRequest(state: ServerState, req: Request, server: Server<undefined>, path: string, arrivedAt: number): Promise<Routed> {
  const { phase, engine, options } = state;
  const methods = Object.hasOwn(ROUTES, path) ? ROUTES[path]! : null;
  if (path.startsWith("/v1/") && options.apiKey !== null && req.headers.get("authorization") !== `Bearer ${options.apiKey}`) {
    throw new ApiError(401, "missing or wrong API key: send Authorization: Bearer <key>", "invalid_api_key");
  }
  if (methods === null) throw new ApiError(404, `no route for ${req.method} ${path.slice(0, 200)}`, "not_found");
  if (!methods.includes(req.method)) {
    throw new ApiError(405, `${path} takes ${methods.join(" or ")}, not ${req.method.slice(0, 20)}`, "method_not_allowed", null, {}, { allow: methods.join(", ") });
  }
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
  if (path === "/v1/capacity") {
    return Response.json({
      ...options.capacity,
      // What was asked of llama.cpp after the quantized-KV rule; "auto" = llama.cpp decides at
      // context creation (node-llama-cpp does not report its choice).
      flash_attention_effective: engine?.context.flashAttention ?? null,
      // What llama.cpp actually offloaded once the model loaded (the plan's figure is gpu_layers_offloaded).
      gpu_layers_loaded: engine?.model.gpuLayers ?? null,
      ready: phase === "ready",
      in_flight: engine?.pool.inFlight ?? 0,
      queued: engine?.pool.queued ?? 0,
    });
  }
  if (phase === "loading" || !engine) throw new ApiError(503, "the model is still loading", "model_loading", null, {}, { "retry-after": "1" });
  if (phase === "draining") throw shuttingDown();
  if (path === "/v1/models") {
    return Response.json({ object: "list", data: [{ id: engine.modelId, object: "model", created: 0, owned_by: "macprovider" }] });
  }
  const body = await readJsonBody(req, options.body);
  // The body is in: the queue wait, a long prefill or a silent stretch of generation may outlast
  // the idle timeout that bounds receiving.
  server.timeout(req, 0);
  const kind = path === "/v1/chat/completions" ? "chat" : "text";
  return complete(state, engine, parseCompletionRequest(kind, body), req.signal, arrivedAt);
}

async function complete(state: ServerState, engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal, arrivedAt: number): Promise<Routed> {
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
  if (!request.stream) return renderJsonCompletion(session);
  let ended!: (status: number) => void;
  const status = new Promise<number>((resolve) => (ended = resolve));
  return { response: renderSseCompletion(session, request.includeUsage, ended), ended: status };
}
