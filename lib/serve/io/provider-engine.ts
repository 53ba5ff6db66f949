/**
 * The loaded side of a provider: model, one shared context whose sequences are the batch slots,
 * and prompt building (the model's chat template through node-llama-cpp's chat wrappers).
 */
import { resolveChatWrapper, SpecialTokensText, type ChatHistoryItem, type ChatWrapper, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { createEngineContext, loadEngineModel } from "../../engine/io/open-engine.ts";
import type { EngineKnobs } from "../../engine/engine-knobs.ts";
import type { ChatMessage } from "../parse-completion-request.ts";
import { modelIdFromPath } from "../model-id-from-path.ts";
import { SlotPool } from "../slot-pool.ts";

export type ProviderEngine = {
  modelId: string;
  model: LlamaModel;
  context: LlamaContext;
  pool: SlotPool<LlamaContextSequence>;
  /** The served window per sequence (the knob, not llama.cpp's padded size). */
  maxContext: number;
  chatPrompt(messages: readonly ChatMessage[]): Token[];
  textPrompt(prompt: string): Token[];
  /** Template stop strings (e.g. "<|im_end|>") that must never leak into chat output. */
  chatStops: string[];
  dispose(): Promise<void>;
};

export async function loadProviderEngine(llama: Llama, modelPath: string, knobs: EngineKnobs, maxQueue: number, alreadyChecked = false): Promise<ProviderEngine> {
  const model = await loadEngineModel(llama, modelPath, { alreadyChecked });
  const context = await createEngineContext(model, knobs);
  const sequences = Array.from({ length: knobs.maxBatch }, () => context.getSequence());
  const wrapper: ChatWrapper = resolveChatWrapper(model);

  const chatPrompt = (messages: readonly ChatMessage[]): Token[] => {
    const history: ChatHistoryItem[] = messages.map((m) =>
      m.role === "assistant" ? { type: "model", response: [m.content] } : { type: m.role, text: m.content },
    );
    history.push({ type: "model", response: [] });
    const { contextText } = wrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(model.tokenizer);
  };

  // Like llama-server: BOS when the model wants one, special-token text in a raw prompt parsed as such.
  const textPrompt = (prompt: string): Token[] => {
    const tokens = model.tokenize(prompt, true);
    const bos = model.tokens.bos;
    return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  };

  const chatStops = wrapper.generateContextState({ chatHistory: [{ type: "model", response: [] }] }).stopGenerationTriggers
    .flatMap((trigger) => trigger.values)
    .map((v) => (typeof v === "string" ? v : v instanceof SpecialTokensText ? v.value : null))
    .filter((v): v is string => v !== null && v !== "");

  return {
    modelId: modelIdFromPath(modelPath),
    model,
    context,
    pool: new SlotPool(sequences, maxQueue),
    maxContext: knobs.maxContext,
    chatPrompt,
    textPrompt,
    chatStops: [...new Set(chatStops)],
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
