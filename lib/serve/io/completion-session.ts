/**
 * One completion from acquire to release: takes a sequence from the pool, generates through the stop
 * scanner, and says how it ended (finished, cut by the client, cut by shutdown), so the JSON and SSE
 * renderers handle every ending the same way. `release()` runs exactly once, after llama.cpp is done
 * with the sequence.
 */
import { ApiError } from "../api-error.ts";
import { generateTokens, type GenerateStats } from "../../engine/io/generate-tokens.ts";
import type { CompletionMeta, FinishReason } from "../openai-format.ts";
import type { CompletionRequest } from "../parse-completion-request.ts";
import { promptTokenFloor } from "../prompt-token-floor.ts";
import { samplingSeed } from "../sampling-seed.ts";
import { PoolClosedError, QueueFullError } from "../slot-pool.ts";
import { StopScanner } from "../stop-scanner.ts";
import type { ProviderEngine } from "./provider-engine.ts";

// Abort reasons, so the end of a generation can say why it ended early.
export const CLIENT_GONE = new Error("client disconnected");
export const SHUTDOWN = new Error("shutdown grace period over");

export const shuttingDown = () => new ApiError(503, "the server is shutting down", "shutting_down", null, {}, { "retry-after": "5" });

export type SessionEnd = { stats: GenerateStats; finishReason: FinishReason; cutBy: "client" | "shutdown" | null };

export type CompletionSession = {
  meta: CompletionMeta;
  promptTokens: number;
  /** Non-empty text pieces; returns how the generation ended. */
  pieces: AsyncGenerator<string, SessionEnd>;
  /** Why generation was cut short so far, if it was. */
  cutBy(): SessionEnd["cutBy"];
  /** Aborts with `reason` (CLIENT_GONE or SHUTDOWN). */
  abort(reason: Error): void;
  /** Idempotent: stops generation, waits for the decode in flight, returns the sequence. */
  release(): Promise<void>;
  /** Settles once the session is released, however it ended. */
  released: Promise<void>;
};

export type SessionHooks = {
  /** Called once generation starts (the server's drain waits on `released`). */
  onStart(session: CompletionSession): void;
  onEnd(stats: GenerateStats, queuedMs: number): void;
};

/** Validates the prompt against the window, waits for a sequence, and starts generating. */
export async function openCompletionSession(engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal, arrivedAt: number, hooks: SessionHooks): Promise<CompletionSession> {
  const prompt = await promptTokens(engine, request, clientSignal);
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
    seed: samplingSeed(request.seed, () => crypto.getRandomValues(new Uint32Array(1))[0]!),
    reusePrefix: request.cachePrompt,
  });
  const cutBy = (): SessionEnd["cutBy"] => (!abort.signal.aborted ? null : abort.signal.reason === SHUTDOWN ? "shutdown" : "client");
  const pieces = throughStops(gen, stops, stopped, cutBy, (stats) => hooks.onEnd(stats, queuedMs));

  // Closing the generators waits for a decode still in flight, so the next request never finds a
  // stray token in its slot.
  let released: Promise<void> | null = null;
  let markReleased!: () => void;
  const done = new Promise<void>((r) => (markReleased = r));
  const session: CompletionSession = {
    meta: { id: `${request.kind === "chat" ? "chatcmpl" : "cmpl"}-${crypto.randomUUID()}`, created: Math.floor(Date.now() / 1000), model: engine.modelId, kind: request.kind },
    promptTokens: prompt.length,
    pieces,
    released: done,
    cutBy,
    abort: (reason) => abort.abort(reason),
    release: () => (released ??= (async () => {
      abort.abort(CLIENT_GONE);
      try {
        await pieces.return(undefined as never);
        await gen.return(undefined as never);
      } finally {
        clientSignal.removeEventListener("abort", onClientGone);
        engine.pool.release(sequence);
        markReleased();
      }
    })()),
  };
  hooks.onStart(session);
  return session;
}

/**
 * The prompt's tokens, or the 400/413 that refuses it before it takes a sequence. A prompt certainly
 * over the window is refused before tokenizing (n_prompt_tokens is then a lower bound); the rest are
 * tokenized in turns (see takeTurns), so large prompts do not pile up in front of running streams.
 */
async function promptTokens(engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal) {
  const param = request.kind === "chat" ? "messages" : "prompt";
  const overWindow = (count: string, n: number) => new ApiError(413, `the prompt has ${count} tokens, more than the ${engine.maxContext}-token context window`,
    "context_length_exceeded", param, { n_prompt_tokens: n, n_ctx: engine.maxContext });
  if (engine.maxTokenBytes !== null) {
    const floor = promptTokenFloor(request, engine.maxTokenBytes);
    if (floor > engine.maxContext) throw overWindow(`at least ${floor}`, floor);
  }
  const prompt = await engine.promptTokens(request);
  if (clientSignal.aborted) throw new ApiError(499, "client disconnected while its prompt was tokenized", "client_closed");
  if (prompt.length === 0) throw new ApiError(400, `${param}: the prompt is empty (this model adds no BOS token)`, "invalid_value", param);
  if (prompt.length > engine.maxContext) throw overWindow(String(prompt.length), prompt.length);
  return prompt;
}

/** Generated text through the stop scanner: yields non-empty pieces, returns how generation ended. */
async function* throughStops(
  gen: AsyncGenerator<{ text: string }, GenerateStats>,
  stops: StopScanner,
  stopped: AbortController,
  cutBy: () => SessionEnd["cutBy"],
  onEnd: (stats: GenerateStats) => void,
): AsyncGenerator<string, SessionEnd> {
  for (;;) {
    const step = await gen.next();
    if (step.done) {
      onEnd(step.value);
      const tail = stops.flush();
      if (tail) yield tail;
      const byStop = stops.stopped || step.value.finishReason === "stop";
      return { stats: step.value, finishReason: byStop ? "stop" : "length", cutBy: cutBy() };
    }
    const text = stops.push(step.value.text);
    if (text) yield text;
    if (stops.stopped && !stopped.signal.aborted) stopped.abort();
  }
}
