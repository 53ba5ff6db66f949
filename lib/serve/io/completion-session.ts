/**
 * One completion from acquire to release: takes a sequence from the pool, generates the answer (text
 * through the stop scanner, JSON under its grammar, or a tool call), and says how it ended
 * (finished, cut by the client, cut by shutdown), so the JSON and SSE renderers handle every ending
 * the same way. `release()` runs exactly once, after llama.cpp is done with the sequence.
 */
import { ApiError } from "../api-error.ts";
import type { GenerateStats } from "../../engine/io/generate-tokens.ts";
import type { CompletionMeta, FinishReason } from "../openai-format.ts";
import type { CompletionRequest } from "../parse-completion-request.ts";
import { promptTokenFloor } from "../prompt-token-floor.ts";
import { samplingSeed } from "../sampling-seed.ts";
import { PoolClosedError, QueueFullError } from "../slot-pool.ts";
import type { AnswerPlan } from "./plan-answer.ts";
import { generateAnswer, type AnswerEnd, type AnswerPiece } from "./generate-answer.ts";
import type { ProviderEngine } from "./provider-engine.ts";

// Abort reasons, so the end of a generation can say why it ended early.
export const CLIENT_GONE = new Error("client disconnected");
export const SHUTDOWN = new Error("shutdown grace period over");

export const shuttingDown = () => new ApiError(503, "the server is shutting down", "shutting_down", null, {}, { "retry-after": "5" });

export type SessionEnd = { stats: GenerateStats; finishReason: FinishReason; cutBy: "client" | "shutdown" | null };

export type CompletionSession = {
  meta: CompletionMeta;
  promptTokens: number;
  /** Non-empty text pieces and tool-call parts; returns how the generation ended. */
  pieces: AsyncGenerator<AnswerPiece, SessionEnd>;
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
  const plan = await planned(engine, request, clientSignal);
  const prompt = plan.prompt;
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

  const queuedMs = performance.now() - arrivedAt;
  const gen = generateAnswer(sequence, plan, {
    // The window caps generation; the request's max_tokens caps it further.
    maxTokens: request.maxTokens ?? Infinity,
    window: engine.maxContext,
    ignoreEos: request.ignoreEos,
    signal: abort.signal,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    seed: samplingSeed(request.seed, () => crypto.getRandomValues(new Uint32Array(1))[0]!),
    logitBias: request.logitBias,
    reusePrefix: request.cachePrompt,
  });
  const cutBy = (): SessionEnd["cutBy"] => (!abort.signal.aborted ? null : abort.signal.reason === SHUTDOWN ? "shutdown" : "client");
  const pieces = ended(gen, cutBy, (stats) => hooks.onEnd(stats, queuedMs));

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
 * The request's plan (its prompt's tokens and grammars), or the 400/413 that refuses it before it
 * takes a sequence. A prompt certainly over the window is refused before tokenizing (n_prompt_tokens
 * is then a lower bound); the rest are tokenized in turns (see takeTurns), so large prompts do not
 * pile up in front of running streams.
 */
async function planned(engine: ProviderEngine, request: CompletionRequest, clientSignal: AbortSignal): Promise<AnswerPlan> {
  const param = request.kind === "chat" ? "messages" : "prompt";
  const overWindow = (count: string, n: number) => new ApiError(413, `the prompt has ${count} tokens, more than the ${engine.maxContext}-token context window`,
    "context_length_exceeded", param, { n_prompt_tokens: n, n_ctx: engine.maxContext });
  if (engine.maxTokenBytes !== null) {
    const floor = promptTokenFloor(request, engine.maxTokenBytes);
    if (floor > engine.maxContext) throw overWindow(`at least ${floor}`, floor);
  }
  const vocabulary = engine.vocabularySize;
  const outside = vocabulary === null ? undefined : [...(request.logitBias?.keys() ?? [])].find((token) => token >= vocabulary);
  if (outside !== undefined) throw new ApiError(400, `logit_bias: token ${outside} is not in this model's vocabulary (ids 0 to ${vocabulary! - 1})`, "invalid_value", "logit_bias");
  const plan = await engine.plan(request);
  const prompt = plan.prompt;
  if (clientSignal.aborted) throw new ApiError(499, "client disconnected while its prompt was tokenized", "client_closed");
  if (prompt.length === 0) throw new ApiError(400, `${param}: the prompt is empty (this model adds no BOS token)`, "invalid_value", param);
  if (prompt.length > engine.maxContext) throw overWindow(String(prompt.length), prompt.length);
  return plan;
}

/** The answer's pieces; reports its stats once it ends and returns how it ended. */
async function* ended(gen: AsyncGenerator<AnswerPiece, AnswerEnd>, cutBy: () => SessionEnd["cutBy"], onEnd: (stats: GenerateStats) => void): AsyncGenerator<AnswerPiece, SessionEnd> {
  const { stats, finishReason } = yield* gen;
  onEnd(stats);
  return { stats, finishReason, cutBy: cutBy() };
}
