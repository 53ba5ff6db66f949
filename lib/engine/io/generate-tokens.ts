/**
 * Generation on one context sequence with a token budget: prompt-prefix reuse, an ignore-EOS mode
 * for exact token counts, an optional grammar, abort through an AbortSignal, UTF-8-safe text, and
 * timings.
 */
import type { EvaluationPriority, LlamaContextSequence, LlamaGrammar, Token } from "node-llama-cpp";
import { LlamaGrammarEvaluationState, TokenBias } from "./node-llama-cpp.ts";
import { TokenTextDecoder } from "../token-text-decoder.ts";
import { tokenPieceCache } from "./token-piece-cache.ts";
import { decodeStepsFor } from "./decode-steps.ts";
import { stepLoopFor } from "./step-loop.ts";

export type GenerateOptions = {
  /** Most tokens to generate; capped so prompt + output never exceed the sequence's context. */
  maxTokens: number;
  /** Keep generating through end-of-generation tokens until `maxTokens` (llama-server's ignore_eos). */
  ignoreEos?: boolean;
  signal?: AbortSignal;
  /** 0 = greedy. Defaults to 0.8. */
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  /** Token id → a number added to its logit before sampling; -Infinity = never (OpenAI's logit_bias). */
  logitBias?: ReadonlyMap<number, number> | null;
  /** Reuse the part of the prompt already in the sequence (llama-server's cache_prompt). Defaults to true. */
  reusePrefix?: boolean;
  /**
   * Only tokens this grammar allows are sampled (a fresh evaluation state per call). An
   * end-of-generation token then means the grammar is complete and always ends, ignoreEos or not.
   */
  grammar?: LlamaGrammar;
};

/** How a generation ended: an end-of-generation token, the budget, or an abort (client, stop string, shutdown). */
export type GenerationEnd = "stop" | "length" | "abort";

export type GenerateStats = {
  promptTokens: number;
  /** Prompt tokens actually evaluated (the rest came from the reused prefix). */
  evaluatedPromptTokens: number;
  completionTokens: number;
  finishReason: GenerationEnd;
  /** From the call to the first generated token (prefill + first decode). */
  ttftMs: number | null;
  /** Tokens after the first, over the time after the first. */
  decodeTokensPerSecond: number | null;
  totalMs: number;
};

/** `token` is null for text released at the end (bytes held back waiting for a character to complete). */
export type GenerateChunk = { token: Token | null; text: string };

/**
 * Yields each generated token with its (possibly empty) text; returns the stats.
 * The caller may stop early by breaking out of the loop; the sequence stays usable.
 * Generation runs on the context's StepLoop (step-loop.ts), so concurrent generations share each
 * decode step. Models whose KV cache needs checkpoints (SWA, recurrent), Vulkan, and every model
 * under `MACPROVIDER_STEP_LOOP=0` (a benchmark switch) go through node-llama-cpp's `evaluate()`
 * phase-locked by DecodeSteps instead.
 */
export function generateTokens(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  options: GenerateOptions,
): AsyncGenerator<GenerateChunk, GenerateStats, void> {
  const start = performance.now();
  const budget = Math.max(0, Math.min(options.maxTokens, sequence.contextSize - prompt.length));
  // The StepLoop's generator is handed out as it is: one async generator less between every token
  // and its consumer. Every case that does not generate goes through generateOnEvaluate's checks.
  if (prompt.length > 0 && budget > 0 && !options.signal?.aborted && usesStepLoop(sequence)) return generateOnLoop(sequence, prompt, start, budget, options);
  return generateOnEvaluate(sequence, prompt, start, budget, options);
}

/** generateTokens on node-llama-cpp's evaluate(), phase-locked by DecodeSteps; also every call that generates nothing. */
async function* generateOnEvaluate(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  start: number,
  budget: number,
  options: GenerateOptions,
): AsyncGenerator<GenerateChunk, GenerateStats, void> {
  if (prompt.length === 0) throw new Error("generateTokens: the prompt has no tokens (at least BOS is needed)");
  if (budget === 0 || options.signal?.aborted) {
    // Nothing to generate (a prompt that fills the window, or max_tokens 0): the sequence is untouched.
    return noOutput(prompt, 0, options.signal?.aborted ? "abort" : "length", start);
  }
  const reuse = options.reusePrefix ?? true;
  const steps = sequenceSteps(sequence);
  const leave = steps.join();
  try {
    const keep = await keepPrefix(sequence, prompt, reuse);
    // A long prompt enters in chunks of one batch less a token for every other sequence, each
    // chunk one step, so the streams already decoding advance between chunks (llama-server's
    // chunked prefill) instead of waiting for the whole prompt.
    const chunk = Math.max(1, sequence.context.batchSize - sequence.context.totalSequences + 1);
    let fed = keep;
    while (prompt.length - fed > chunk) {
      if (options.signal?.aborted) return noOutput(prompt, fed - keep, "abort", start);
      const piece = prompt.slice(fed, fed + chunk) as Token[];
      await steps.run(() => sequence.evaluateWithoutGeneratingNewTokens(piece, { evaluationPriority: steps.priority }));
      fed += chunk;
    }
    if (options.signal?.aborted) return noOutput(prompt, fed - keep, "abort", start);
    return yield* generateFrom(sequence, prompt, fed, keep, start, budget, options, steps);
  } finally {
    leave();
  }
}

/** Whether `sequence` generates on the StepLoop (see generateTokens). */
export function usesStepLoop(sequence: LlamaContextSequence): boolean {
  return process.env.MACPROVIDER_STEP_LOOP !== "0" && !sequence.needsCheckpoints && sequence.model.llama.gpu !== "vulkan";
}

/**
 * Generation on the context's StepLoop, reusing the prompt's common prefix with the sequence (the
 * loop erases the stale cells past it in the slot's first step).
 */
async function* generateOnLoop(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  start: number,
  budget: number,
  options: GenerateOptions,
): AsyncGenerator<GenerateChunk, GenerateStats, void> {
  const keep = options.reusePrefix ?? true ? commonPrefix(sequence, prompt) : 0;
  const model = sequence.model;
  const run = new RunStats(prompt, keep, start, model);
  const loop = stepLoopFor(sequence.context);
  const slot = loop.open(sequence, prompt, keep, {
    sampling: samplingOptions(model, options),
    budget,
    stopAtEog: !options.ignoreEos || options.grammar !== undefined,
    signal: options.signal,
  });
  try {
    // The loop decodes ahead of this reader (a few tokens at most) and ends the slot at the budget
    // or a stopping end-of-generation token; a token decoded past an abort or a stop string is
    // discarded, and the next request's prefix reuse erases it from the sequence.
    for (;;) {
      const out = await slot.next();
      if (out === null) {
        if (options.signal?.aborted) run.finishReason = "abort";
        break;
      }
      const chunk = run.take(out.token, options);
      if (chunk === null) break;
      yield chunk;
      if (options.signal?.aborted) {
        run.finishReason = "abort";
        break;
      }
    }
  } finally {
    await loop.close(slot);
  }
  const tail = run.decoder.flush();
  if (tail) yield { token: null, text: tail };
  return run.stats(slot.promptFed);
}

/** The sampling options node-llama-cpp resolves into its sampler config. */
function samplingOptions(model: LlamaContextSequence["model"], options: GenerateOptions) {
  return {
    temperature: options.temperature ?? 0.8,
    topP: options.topP,
    topK: options.topK,
    seed: options.seed,
    tokenBias: options.logitBias?.size ? tokenBias(model, options.logitBias, options.grammar !== undefined) : undefined,
    grammarEvaluationState: options.grammar ? new LlamaGrammarEvaluationState({ model, grammar: options.grammar }) : undefined,
  };
}

/**
 * The biases as node-llama-cpp's TokenBias, filled through its private map (3.21.1): its `set()`
 * skips end-of-generation tokens, while OpenAI's logit_bias applies to every token (a bias on the
 * end-of-text token is its classic use). The sampler adds each value to the token's logit. Under a
 * grammar, "never" is a large finite penalty instead of -Infinity: when the bans cover every token
 * the grammar allows, one of them is still sampled (node-llama-cpp's "never, unless a grammar needs
 * it") instead of a token the grammar then refuses, which fails the generation.
 */
function tokenBias(model: LlamaContextSequence["model"], biases: ReadonlyMap<number, number>, grammar: boolean) {
  const bias = new TokenBias(model.tokenizer);
  const map = (bias as unknown as { _biases: Map<number, number> })._biases;
  for (const [token, value] of biases) map.set(token, value === -Infinity && grammar ? GRAMMAR_NEVER : value);
  return bias;
}

/** Far below any logit plus an allowed bias (±100), far above -Infinity (a token the grammar refuses). */
const GRAMMAR_NEVER = -1e9;

/** One generation's running figures and text decoder, shared by both decode loops. */
class RunStats {
  readonly decoder: TokenTextDecoder;
  completionTokens = 0;
  finishReason: GenerationEnd = "length";
  private firstAt: number | null = null;
  private lastAt: number;

  constructor(private readonly prompt: readonly Token[], private readonly keep: number, private readonly start: number, private readonly model: LlamaContextSequence["model"]) {
    this.decoder = new TokenTextDecoder((tokens, last) => model.detokenize(tokens as Token[], false, last as Token[]), tokenPieceCache(model));
    this.lastAt = start;
  }

  /**
   * A generated token as its chunk, or null when it ends the generation (an end-of-generation
   * token that is not ignored; a grammar's always ends it).
   */
  take(token: Token, options: GenerateOptions): GenerateChunk | null {
    const now = performance.now();
    this.firstAt ??= now;
    this.lastAt = now;
    const eog = this.model.isEogToken(token);
    if (eog && (!options.ignoreEos || options.grammar)) {
      this.finishReason = "stop";
      return null;
    }
    this.completionTokens++;
    return { token, text: eog ? "" : this.decoder.push(token) };
  }

  /** `evaluated`: the prompt tokens actually decoded, where the loop counted them (else all past the reused prefix). */
  stats(evaluated = this.prompt.length - this.keep): GenerateStats {
    const { firstAt, lastAt, completionTokens } = this;
    const decodeSeconds = firstAt === null ? 0 : (lastAt - firstAt) / 1000;
    return {
      promptTokens: this.prompt.length,
      evaluatedPromptTokens: evaluated,
      completionTokens,
      finishReason: this.finishReason,
      ttftMs: firstAt === null ? null : firstAt - this.start,
      decodeTokensPerSecond: completionTokens > 1 && decodeSeconds > 0 ? (completionTokens - 1) / decodeSeconds : null,
      totalMs: performance.now() - this.start,
    };
  }
}

/**
 * node-llama-cpp's decode loop (see generateTokens) once all but the prompt's last chunk is in the sequence.
 * (Kept as one function past 60 lines on purpose: it is the per-token hot path, and the pipelined
 * loop's prefetch, abort and end-of-generation rules read best side by side.)
 */
async function* generateFrom(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  fed: number,
  keep: number,
  start: number,
  budget: number,
  options: GenerateOptions,
  steps: SequenceSteps,
): AsyncGenerator<GenerateChunk, GenerateStats, void> {
  const run = new RunStats(prompt, keep, start, sequence.model);
  const evaluation = sequence.evaluate(prompt.slice(fed) as Token[], {
    ...samplingOptions(sequence.model, options),
    yieldEogToken: true,
    evaluationPriority: steps.priority,
  });
  // Pipelined: the next decode is started as soon as a token arrives and is known not to be the
  // last, so detokenizing and the consumer's work (SSE writes) overlap with llama.cpp's decode
  // instead of adding to every token's latency. A token decoded past an abort or a stop string
  // is discarded; the next request's prefix reuse erases it from the sequence.
  const next = () => steps.run(() => evaluation.next());
  let pending = next();
  try {
    for (;;) {
      const step = await pending;
      if (step.done) break;
      const chunk = run.take(step.value, options);
      if (chunk === null) break;
      const last = run.completionTokens >= budget || options.signal?.aborted;
      if (!last) pending = next();
      yield chunk;
      if (options.signal?.aborted) {
        run.finishReason = "abort";
        break;
      }
      if (last) break;
    }
  } finally {
    pending.catch(() => {}); // a prefetched decode nobody will read must not surface as unhandled
    await evaluation.return();
  }
  const tail = run.decoder.flush();
  if (tail) yield { token: null, text: tail };
  return run.stats();
}

/** One sequence's way into its context's DecodeSteps, placed by its llama.cpp sequence id. */
type SequenceSteps = { join(): () => void; run<T>(decode: () => Promise<T>): Promise<T>; priority: EvaluationPriority };

/**
 * The sequence id (private in node-llama-cpp 3.21.1) orders the step twice: DecodeSteps starts
 * requests in id order, and `priority` (higher for lower ids) makes the context's firstInFirstOut
 * strategy (contextOptionsFromKnobs) keep that order in the batch even when a joining prompt reaches
 * node-llama-cpp's queue late. node-llama-cpp types priorities as 1..5 but only ever compares them;
 * a fraction in (4, 5] keeps every id apart.
 */
function sequenceSteps(sequence: LlamaContextSequence): SequenceSteps {
  const steps = decodeStepsFor(sequence.context);
  const id = (sequence as unknown as { _sequenceId?: number })._sequenceId ?? 0;
  return {
    join: () => steps.join(),
    run: (decode) => steps.run(decode, id),
    priority: (5 - id / (sequence.context.totalSequences + 1)) as EvaluationPriority,
  };
}

function noOutput(prompt: readonly Token[], evaluatedPromptTokens: number, finishReason: GenerationEnd, start: number): GenerateStats {
  return { promptTokens: prompt.length, evaluatedPromptTokens, completionTokens: 0, finishReason, ttftMs: null, decodeTokensPerSecond: null, totalMs: performance.now() - start };
}

/** How many of the prompt's first tokens the sequence holds already, leaving at least one to evaluate. */
function commonPrefix(sequence: LlamaContextSequence, prompt: readonly Token[]): number {
  const inContext = sequence.contextTokens;
  const limit = Math.min(inContext.length, prompt.length - 1);
  let keep = 0;
  while (keep < limit && inContext[keep] === prompt[keep]) keep++;
  return keep;
}

/**
 * Keeps the prompt's common prefix in the KV cache and erases the rest; returns how many tokens were
 * kept. At least one prompt token is left to evaluate, so there are logits to sample from.
 */
async function keepPrefix(sequence: LlamaContextSequence, prompt: readonly Token[], reuse: boolean): Promise<number> {
  const keep = reuse ? commonPrefix(sequence, prompt) : 0;
  if (sequence.nextTokenIndex > keep) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  return keep;
}
