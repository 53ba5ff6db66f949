/**
 * The loaded side of a provider: model, one shared context whose sequences are the batch slots,
 * and prompt building (the model's chat template through node-llama-cpp's chat wrappers, with the
 * request's tools), tokenized one prompt per turn of the event loop so large prompts do not pile up
 * in front of running streams; and the grammars and call syntax that answers are generated with.
 */
import type { ChatModelFunctions, ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import { resolveChatWrapper, SpecialTokensText } from "../../engine/io/node-llama-cpp.ts";
import { createEngineContext, loadEngineModel, withLlamaErrors } from "../../engine/io/open-engine.ts";
import type { EngineKnobs } from "../../engine/engine-knobs.ts";
import { CliError, EXIT } from "../../cli/cli-error.ts";
import { logger } from "../../cli/io/logger.ts";
import type { ChatMessage, CompletionRequest } from "../parse-completion-request.ts";
import { llamaLoadReason, ModelLoadError } from "../model-load-error.ts";
import { modelIdFromPath } from "../model-id-from-path.ts";
import { SlotPool } from "../slot-pool.ts";
import { chatHistory } from "../tools/chat-history.ts";
import { planAnswer, type AnswerPlan } from "./plan-answer.ts";
import { callSyntax } from "./call-syntax.ts";
import { requestGrammars } from "./request-grammars.ts";
import { takeTurns } from "./take-turns.ts";

export type ProviderEngine = {
  modelId: string;
  model: LlamaModel;
  context: LlamaContext;
  pool: SlotPool<LlamaContextSequence>;
  /** The served window per sequence (the knob, not llama.cpp's padded size). */
  maxContext: number;
  /** On the calling thread; for tests and small prompts. */
  chatPrompt(messages: readonly ChatMessage[]): Token[];
  textPrompt(prompt: string): Token[];
  /** A request's prompt (tokenized in its turn, see takeTurns) and how to answer it; a 400 for a grammar that cannot be built. */
  plan(request: CompletionRequest): Promise<AnswerPlan>;
  /** Template stop strings (e.g. "<|im_end|>") that must never leak into chat output. */
  chatStops: string[];
  /** Bytes of the longest token, when no token covers more text than that (see promptTokenFloor); else null. */
  maxTokenBytes: number | null;
  /** Tokens in the model's vocabulary (ids 0 to size - 1), null when the GGUF does not list them. */
  vocabularySize: number | null;
  dispose(): Promise<void>;
};

export type ProviderEngineOptions = {
  /** The preflight ran the integrity check on this file already. */
  alreadyChecked?: boolean;
  maxTokenBytes?: number | null;
};

export async function loadProviderEngine(llama: Llama, modelPath: string, knobs: EngineKnobs, maxQueue: number, options: ProviderEngineOptions = {}): Promise<ProviderEngine> {
  const llamaErrors: string[] = [];
  const model = await withLlamaErrors(llamaErrors, () => loadEngineModel(llama, modelPath, { alreadyChecked: options.alreadyChecked })).catch((error: Error) => {
    throw new ModelLoadError(modelPath, llamaLoadReason(llamaErrors, error.message));
  });
  const context = await createEngineContext(model, knobs).catch((error: Error) => {
    // Preflight estimated it to fit; llama.cpp may still refuse (memory taken meanwhile): one line.
    throw new CliError(`llama.cpp could not create a context of ${knobs.maxContext} tokens × ${knobs.maxBatch} sequence(s): ${error.message.split("\n")[0]}`, EXIT.software);
  });
  const sequences = Array.from({ length: knobs.maxBatch }, () => context.getSequence());
  const wrapper = chatWrapperFor(model);
  const chatContext = (messages: readonly ChatMessage[], functions: ChatModelFunctions | null = null): LlamaText => {
    const { items, continuesModelResponse } = chatHistory(messages);
    if (!continuesModelResponse) items.push({ type: "model", response: [] });
    return wrapper.generateContextState({ chatHistory: items, availableFunctions: functions ?? undefined, documentFunctionParams: true }).contextText;
  };
  // Like llama-server: BOS when the model wants one, special-token text in a raw prompt parsed as such.
  const withBos = (tokens: Token[]): Token[] => {
    const bos = model.tokens.bos;
    return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  };
  const chatPrompt = (messages: readonly ChatMessage[]) => chatContext(messages).tokenize(model.tokenizer);
  const textPrompt = (prompt: string) => withBos(model.tokenize(prompt, true));
  const chatStops = chatStopsOf(wrapper);
  const planning = { model, grammars: requestGrammars(llama), callSyntax: callSyntax(wrapper), chatStops, chatContext, textPrompt, turn: takeTurns() };

  return {
    modelId: modelIdFromPath(modelPath),
    model,
    context,
    pool: new SlotPool(sequences, maxQueue),
    maxContext: knobs.maxContext,
    chatPrompt,
    textPrompt,
    plan: (request) => planAnswer(planning, request),
    chatStops,
    maxTokenBytes: options.maxTokenBytes ?? null,
    // node-llama-cpp reads the same list for iterateAllTokens; the addon has no vocabulary size call.
    vocabularySize: model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? null,
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

function chatStopsOf(wrapper: ChatWrapper): string[] {
  const stops = wrapper.generateContextState({ chatHistory: [{ type: "model", response: [] }] }).stopGenerationTriggers
    .flatMap((trigger) => trigger.values)
    .map((v) => (typeof v === "string" ? v : v instanceof SpecialTokensText ? v.value : null))
    .filter((v): v is string => v !== null && v !== "");
  return [...new Set(stops)];
}

/**
 * The model's chat template as node-llama-cpp renders it. A template that does not render is one
 * warning line, then node-llama-cpp's own choice without it (left to itself, it prints the error
 * with a stack).
 */
function chatWrapperFor(model: LlamaModel): ChatWrapper {
  try {
    return resolveChatWrapper(model, { fallbackToOtherWrappersOnJinjaError: false });
  } catch (error) {
    const reason = String((error as Error).message).split("\n")[0]!.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200);
    logger.warn(`the model's chat template cannot be used (${reason}); chat prompts use node-llama-cpp's fallback format`);
    return resolveChatWrapper(model, { noJinja: true });
  }
}
