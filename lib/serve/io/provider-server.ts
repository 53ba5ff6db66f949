/**
 * The OpenAI-compatible HTTP provider (SRV-1…7) on Bun's server. It listens before the model is
 * loaded so `/health` can answer 503 while loading; `attach()` makes it ready.
 */
import type { Server } from "bun";
import { ApiError } from "../api-error.ts";
import { generateTokens, type GenerateStats } from "../../engine/io/generate-tokens.ts";
import { chunkBody, completionBody, sseEvent, timings, usage, type CompletionMeta, type FinishReason } from "../openai-format.ts";
import { parseCompletionRequest, type CompletionRequest } from "../parse-completion-request.ts";
import type { ProviderEngine } from "./provider-engine.ts";
import { ProviderMetrics } from "../provider-metrics.ts";
import { PoolClosedError, QueueFullError } from "../slot-pool.ts";
import { StopScanner } from "../stop-scanner.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

const KNOWN_ROUTES = new Set(["/health", "/metrics", "/v1/models", "/v1/capacity", "/v1/chat/completions", "/v1/completions"]);
// Abort reasons, so the end of a generation can say why it ended early.
const CLIENT_GONE = new Error("client disconnected");
const SHUTDOWN = new Error("shutdown grace period over");
const ABORT_WAIT_MS = 5000;
const WRITE_WAIT_MS = 1000;
const shuttingDown = () => new ApiError(503, "the server is shutting down", "shutting_down", null, {}, { "retry-after": "5" });

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

export function startProviderServer(options: ProviderServerOptions): ProviderServer {
  const metrics = new ProviderMetrics();
  let phase: Phase = "loading";
  let engine: ProviderEngine | null = null;
  const running = new Set<{ abort: AbortController; done: Promise<void> }>();

  const route = async (req: Request, path: string, arrivedAt: number): Promise<Response> => {
    if (path === "/health") {
      return phase === "ready"
        ? Response.json({ status: "ok" })
        : Response.json({ status: phase === "loading" ? "loading model" : "shutting down" }, { status: 503 });
    }
    if (path === "/metrics") {
      return new Response(metrics.render({ inFlight: engine?.pool.inFlight ?? 0, queued: engine?.pool.queued ?? 0, ready: phase === "ready" }), {
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
    const request = parseCompletionRequest(kind, await readJson(req));
    return complete(engine, request, req.signal, arrivedAt);
  };

  const complete = async (engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal, arrivedAt: number): Promise<Response> => {
    if (request.model !== null && request.model !== engine.modelId) {
      throw new ApiError(404, `model "${request.model}" is not served here; this provider serves "${engine.modelId}"`, "model_not_found", "model");
    }
    const prompt = request.kind === "chat" ? engine.chatPrompt(request.messages) : engine.textPrompt(request.prompt);
    const promptParam = request.kind === "chat" ? "messages" : "prompt";
    if (prompt.length === 0) throw new ApiError(400, `${promptParam}: the prompt is empty (this model adds no BOS token)`, "invalid_value", promptParam);
    if (prompt.length > engine.maxContext) {
      throw new ApiError(413, `the prompt has ${prompt.length} tokens, more than the ${engine.maxContext}-token context window`,
        "context_length_exceeded", promptParam, { n_prompt_tokens: prompt.length, n_ctx: engine.maxContext });
    }

    const abort = new AbortController();
    const onClientGone = () => abort.abort(CLIENT_GONE);
    clientSignal.addEventListener("abort", onClientGone, { once: true });
    if (clientSignal.aborted) onClientGone(); // it may have left while the body was read
    let sequence;
    try {
      sequence = await engine.pool.acquire(abort.signal);
    } catch (error) {
      clientSignal.removeEventListener("abort", onClientGone);
      if (error instanceof QueueFullError) throw new ApiError(503, `server busy: ${error.message}; retry later`, "server_busy", null, {}, { "retry-after": "1" });
      if (error instanceof PoolClosedError) throw shuttingDown();
      if (abort.signal.aborted) throw new ApiError(499, "client disconnected while queued", "client_closed");
      throw error;
    }

    let finished!: () => void;
    const entry = { abort, done: new Promise<void>((r) => (finished = r)) };
    running.add(entry);

    const meta: CompletionMeta = { id: `${request.kind === "chat" ? "chatcmpl" : "cmpl"}-${crypto.randomUUID()}`, created: Math.floor(Date.now() / 1000), model: engine.modelId, kind: request.kind };
    const stops = new StopScanner(request.kind === "chat" ? [...request.stop, ...engine.chatStops] : request.stop);
    const stopped = new AbortController(); // a stop string ends generation the way an abort does
    const queuedMs = performance.now() - arrivedAt;
    const gen = generateTokens(sequence, prompt, {
      // The window caps generation; the request's max_tokens caps it further.
      maxTokens: Math.min(request.maxTokens ?? Infinity, engine.maxContext - prompt.length),
      ignoreEos: request.ignoreEos,
      signal: AbortSignal.any([abort.signal, stopped.signal]),
      temperature: request.temperature,
      topP: request.topP,
      topK: request.topK,
      seed: request.seed,
      reusePrefix: request.cachePrompt,
    });
    const pieces = completionText(gen, stops, stopped);

    // Exactly once, and only after llama.cpp is done with the sequence: closing the generators waits
    // for a decode still in flight, so the next request never finds a stray token in its slot.
    let released: Promise<void> | null = null;
    const release = () => (released ??= (async () => {
      abort.abort(CLIENT_GONE);
      try {
        await pieces.return(undefined as never);
        await gen.return(undefined as never);
      } finally {
        clientSignal.removeEventListener("abort", onClientGone);
        engine.pool.release(sequence);
        running.delete(entry);
        finished();
      }
    })());
    const record = (stats: GenerateStats) => metrics.recordGeneration(stats, queuedMs);
    /** Why generation ended early, when it did: the client left, or shutdown cut it. */
    const cut = () => (abort.signal.aborted ? abort.signal.reason : null);

    if (!request.stream) {
      try {
        let text = "";
        for (;;) {
          const piece = await pieces.next();
          if (piece.done) {
            record(piece.value.stats);
            if (cut() === SHUTDOWN) throw shuttingDown();
            if (cut()) throw new ApiError(499, "client disconnected", "client_closed");
            return Response.json(completionBody(meta, text, piece.value.finishReason, usage(prompt.length, piece.value.stats.completionTokens), timings(piece.value.stats)));
          }
          text += piece.value;
        }
      } finally {
        await release();
      }
    }

    let pulled = false;
    // Bun's direct stream writes each event straight to the socket: no chunk queue, no encoding
    // step, which matters when every token is an event.
    const stream = new ReadableStream({
      type: "direct",
      async pull(controller: ReadableStreamDirectController) {
        pulled = true;
        const send = (data: unknown) => {
          controller.write(sseEvent(data));
          controller.flush();
        };
        try {
          if (request.kind === "chat") send(chunkBody(meta, { role: true }));
          for (;;) {
            const piece = await pieces.next();
            if (piece.done) {
              record(piece.value.stats);
              if (cut() === SHUTDOWN) send(shuttingDown().body());
              if (cut()) break;
              send(chunkBody(meta, { finishReason: piece.value.finishReason, timings: timings(piece.value.stats) }));
              if (request.includeUsage) send(chunkBody(meta, { usage: usage(prompt.length, piece.value.stats.completionTokens) }));
              send("[DONE]");
              break;
            }
            send(chunkBody(meta, { text: piece.value }));
          }
        } catch (error) {
          // Headers are gone already: report in-band, then end the stream.
          if (!cut()) {
            try { send({ error: { message: (error as Error).message, type: "server_error", param: null, code: "generation_failed" } }); } catch { /* client gone */ }
          }
        } finally {
          await release();
          try { controller.close(); } catch { /* client already gone */ }
        }
      },
      cancel() {
        abort.abort(CLIENT_GONE);
        if (!pulled) void release(); // the client left before the body was ever pulled
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
  };

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
        response = await route(req, path, arrivedAt);
      } catch (error) {
        response = error instanceof ApiError
          ? error.toResponse()
          : new ApiError(500, `internal error: ${(error as Error).message}`, "internal_error").toResponse();
      }
      metrics.countRequest(KNOWN_ROUTES.has(path) ? path : "other", response.status);
      return response;
    },
  });

  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${server.port}`,
    attach(e) {
      if (phase === "draining") return; // a signal came while the model was loading
      engine = e;
      phase = "ready";
    },
    async drain(graceMs) {
      phase = "draining";
      engine?.pool.close(); // queued requests get 503 shutting_down
      void server.stop(false); // no new connections
      const settled = () => Promise.all([...running].map((r) => r.done));
      const deadline = performance.now() + graceMs;
      // Loop: a request may take a slot after a snapshot (it was past the phase check already).
      while (running.size > 0 && performance.now() < deadline) {
        await Promise.race([settled(), Bun.sleep(Math.max(0, deadline - performance.now()))]);
      }
      let aborted = 0;
      for (const r of running) {
        r.abort.abort(SHUTDOWN);
        aborted++;
      }
      // An aborted generation ends within one decode; don't hang on a stuck one.
      await Promise.race([settled(), Bun.sleep(ABORT_WAIT_MS)]);
      // A finished generation's response may still be on its way out: let Bun write it.
      const writeDeadline = performance.now() + WRITE_WAIT_MS;
      while (server.pendingRequests > 0 && performance.now() < writeDeadline) await Bun.sleep(10);
      await server.stop(true);
      return { aborted };
    },
  };
}

/** Generated text through the stop scanner: yields non-empty pieces, returns stats and the finish reason. */
async function* completionText(
  gen: AsyncGenerator<{ text: string }, GenerateStats>,
  stops: StopScanner,
  stopped: AbortController,
): AsyncGenerator<string, { stats: GenerateStats; finishReason: FinishReason }> {
  for (;;) {
    const step = await gen.next();
    if (step.done) {
      const tail = stops.flush();
      if (tail) yield tail;
      const byStop = stops.stopped || step.value.finishReason === "stop";
      return { stats: step.value, finishReason: byStop ? "stop" : "length" };
    }
    const text = stops.push(step.value.text);
    if (text) yield text;
    if (stops.stopped && !stopped.signal.aborted) stopped.abort();
  }
}

async function readJson(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, `the request body is ${declared} bytes, over the ${MAX_BODY_BYTES}-byte limit`, "request_too_large");
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) throw new ApiError(413, `the request body is over the ${MAX_BODY_BYTES}-byte limit`, "request_too_large");
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`, "invalid_json");
  }
}
