/**
 * An answer from its plan, phase by phase on one sequence: free text; then, when the model opens a
 * call (tool_choice auto) or must make one (required, a named function), the function's name under
 * the name grammar and its arguments under the parameters' JSON-schema grammar, as node-llama-cpp's
 * LlamaChat does. Each phase continues the prompt with the text before it, so the sequence's cached
 * prefix carries over. One budget (max_tokens, the window) spans all phases; the request's stop
 * strings never apply inside a call. At most one call per answer.
 */
import type { LlamaContextSequence, LlamaText as LlamaTextType, Token } from "node-llama-cpp";
import type { GenerateOptions, GenerateStats } from "../../engine/io/generate-tokens.ts";
import { LlamaText } from "../../engine/io/node-llama-cpp.ts";
import type { FinishReason } from "../openai-format.ts";
import { parseFunctionName } from "../tools/function-name-grammar.ts";
import { answerPhase, type PhaseOptions } from "./answer-phase.ts";
import type { AnswerPlan } from "./plan-answer.ts";
import { grammarStops } from "./request-grammars.ts";

export type AnswerPiece = { kind: "text"; text: string } | { kind: "call"; id: string; name: string } | { kind: "arguments"; text: string };
export type AnswerEnd = { stats: GenerateStats; finishReason: FinishReason };
export type AnswerOptions = Omit<GenerateOptions, "grammar" | "signal"> & { signal: AbortSignal; /** Tokens a prompt plus its answer may fill. */ window: number };

export async function* generateAnswer(sequence: LlamaContextSequence, plan: AnswerPlan, options: AnswerOptions): AsyncGenerator<AnswerPiece, AnswerEnd> {
  const phases = phaseRunner(sequence, options);
  let content = "";
  if (plan.content) {
    const { grammar, stops, callTriggers } = plan.content;
    const end = yield* phases.run(plan.prompt, { grammar: grammar ?? undefined, stops, callTriggers, trimEnd: grammar !== null }, (text) => ({ kind: "text" as const, text }));
    if (end.ended !== "call") return phases.end(end.ended === "stop" ? "stop" : "length");
    content = end.text;
  }
  const call = plan.call!;
  const opened = [content, call.syntax.opener];
  const continued = (...more: (string | LlamaTextType)[]): Token[] => [...plan.prompt, ...LlamaText([...opened, ...more]).tokenize(sequence.model.tokenizer, "trimLeadingSpace")];
  let name = call.names.length === 1 ? call.names[0]! : null;
  if (name === null) {
    const grammar = await call.nameGrammar();
    const end = yield* phases.run<AnswerPiece>(continued(), { grammar, stops: grammarStops(grammar), trimEnd: true }, () => null); // shown once whole
    if (end.ended !== "stop") return phases.end("length"); // cut inside the name: no call to show
    name = parseFunctionName(end.text, call.names);
  }
  yield { kind: "call", id: `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`, name };
  const grammar = await call.argumentsGrammar(name);
  const args = continued(name, call.syntax.paramsPrefix(name));
  const end = yield* phases.run(args, { grammar, stops: grammarStops(grammar), trimEnd: true }, (text) => ({ kind: "arguments" as const, text }));
  return phases.end(end.ended === "stop" ? "tool_calls" : "length");
}

/** Runs phases on one budget and sums their stats (a single phase's stats are passed on as they are). */
function phaseRunner(sequence: LlamaContextSequence, options: AnswerOptions) {
  const start = performance.now();
  const done: { stats: GenerateStats; startedAt: number }[] = [];
  return {
    async *run<P>(prompt: Token[], phase: Pick<PhaseOptions, "grammar" | "stops" | "callTriggers" | "trimEnd">, as: (text: string) => P | null) {
      const used = done.reduce((n, p) => n + p.stats.completionTokens, 0);
      const startedAt = performance.now();
      const maxTokens = Math.max(0, Math.min(options.maxTokens - used, options.window - prompt.length));
      // Later phases extend the same prompt: reuse its prefix whatever cache_prompt said.
      const end = yield* answerPhase(sequence, prompt, { ...options, ...phase, maxTokens, reusePrefix: done.length > 0 || options.reusePrefix }, as);
      done.push({ stats: end.stats, startedAt });
      return end;
    },
    end(finishReason: FinishReason): AnswerEnd {
      return { stats: done.length === 1 ? done[0]!.stats : summed(done, start), finishReason };
    },
  };
}

function summed(done: readonly { stats: GenerateStats; startedAt: number }[], start: number): GenerateStats {
  const first = done.find((p) => p.stats.ttftMs !== null);
  const sum = (f: (s: GenerateStats) => number) => done.reduce((n, p) => n + f(p.stats), 0);
  // Decode rate over the phases' decode time alone (each phase's prompt is prefill, not decode).
  const decoded = done.filter((p) => p.stats.decodeTokensPerSecond !== null).map((p) => p.stats);
  const decodeSeconds = decoded.reduce((t, s) => t + (s.completionTokens - 1) / s.decodeTokensPerSecond!, 0);
  return {
    promptTokens: done[0]!.stats.promptTokens,
    evaluatedPromptTokens: sum((s) => s.evaluatedPromptTokens),
    completionTokens: sum((s) => s.completionTokens),
    finishReason: done.at(-1)!.stats.finishReason,
    ttftMs: first ? first.startedAt - start + first.stats.ttftMs! : null,
    decodeTokensPerSecond: decodeSeconds > 0 ? decoded.reduce((n, s) => n + s.completionTokens - 1, 0) / decodeSeconds : null,
    totalMs: performance.now() - start,
  };
}
