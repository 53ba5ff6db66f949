/**
 * How a request is answered, decided before it takes a sequence (so a grammar node-llama-cpp cannot
 * build is a 400, not a failed stream): the prompt, then either free text (plain, or under the
 * response_format's JSON grammar, watching for the model opening a call when tool_choice is auto),
 * or straight into a call (tool_choice required or a named function).
 */
import type { ChatModelFunctions, LlamaGrammar, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import type { CompletionRequest } from "../parse-completion-request.ts";
import { schemaError } from "../structured/schema-error.ts";
import type { ToolFunction } from "../tools/parse-tools.ts";
import type { CallSyntax } from "./call-syntax.ts";
import { grammarStops, type RequestGrammars } from "./request-grammars.ts";
import type { TakeTurn } from "./take-turns.ts";

export type CallPlan = {
  syntax: CallSyntax;
  /** The functions the call may name (one for a named tool_choice). */
  names: string[];
  nameGrammar(): Promise<LlamaGrammar>;
  argumentsGrammar(name: string): Promise<LlamaGrammar>;
};

export type AnswerPlan = {
  prompt: Token[];
  /** Free text first (null: the answer is a call from its first token). */
  content: { grammar: LlamaGrammar | null; stops: string[]; callTriggers: string[] } | null;
  /** null: the answer cannot hold a call. */
  call: CallPlan | null;
};

/** What planning needs from the loaded engine. */
export type PlanningEngine = {
  model: LlamaModel;
  grammars: RequestGrammars;
  callSyntax: CallSyntax;
  chatStops: string[];
  chatContext(messages: CompletionRequest["messages"], functions: ChatModelFunctions | null): LlamaText;
  textPrompt(prompt: string): Token[];
  /** Runs tokenizing in its turn (see takeTurns). */
  turn: TakeTurn;
};

export async function planAnswer(engine: PlanningEngine, request: CompletionRequest): Promise<AnswerPlan> {
  const format = request.responseFormat;
  const grammar = format.type === "json" ? await compiled(engine.grammars.json(format.schema), "response_format") : null;
  const stops = (userStops: string[]) => (grammar ? grammarStops(grammar) : userStops); // `stop` never cuts the JSON
  if (request.kind === "text") return { prompt: await engine.turn(() => engine.textPrompt(request.prompt)), content: { grammar, stops: stops(request.stop), callTriggers: [] }, call: null };

  const tools = request.tools && request.tools.choice !== "none" ? request.tools : null;
  const prompt = await engine.turn(() => engine.chatContext(request.messages, tools && modelFunctions(tools.functions)).tokenize(engine.model.tokenizer));
  if (!tools) return { prompt, content: { grammar, stops: stops([...request.stop, ...engine.chatStops]), callTriggers: [] }, call: null };

  const byName = new Map(tools.functions.map((f) => [f.name, f]));
  const names = typeof tools.choice === "object" ? [tools.choice.name] : [...byName.keys()];
  // Compiled now, so a schema node-llama-cpp cannot build is refused before generation (then cached).
  await Promise.all(names.map((name) => compiled(engine.grammars.json(byName.get(name)!.params), `tools[${tools.functions.indexOf(byName.get(name)!)}].function.parameters`)));
  const call: CallPlan = {
    syntax: engine.callSyntax,
    names,
    nameGrammar: () => engine.grammars.functionName(names, engine.callSyntax.optionalPrefixSpace),
    argumentsGrammar: (name) => engine.grammars.json(byName.get(name)!.params),
  };
  const content = tools.choice === "auto" ? { grammar: null, stops: [...request.stop, ...engine.chatStops], callTriggers: engine.callSyntax.triggers } : null;
  return { prompt, content, call };
}

function modelFunctions(functions: readonly ToolFunction[]): ChatModelFunctions {
  return Object.fromEntries(functions.map((f) => [f.name, { description: f.description, params: f.params }]));
}

async function compiled(grammar: Promise<LlamaGrammar>, param: string): Promise<LlamaGrammar> {
  try {
    return await grammar;
  } catch (error) {
    throw schemaError(param, `node-llama-cpp could not build a grammar for this schema: ${String((error as Error).message).split("\n")[0]!.slice(0, 200)}`);
  }
}
