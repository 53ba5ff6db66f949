/**
 * The grammars a request is generated under: node-llama-cpp's JSON-schema grammar with its number
 * rules narrowed (see tightenJsonGrammar), and the function-name grammar of a call. Compiled
 * grammars are kept by their source (the last 64), so a client that sends the same tools with
 * every turn of a conversation compiles them once.
 */
import type { GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";
import { LlamaText } from "../../engine/io/node-llama-cpp.ts";
import { tightenJsonGrammar } from "../structured/tighten-json-grammar.ts";
import { functionNameGrammar } from "../tools/function-name-grammar.ts";
import { plainText } from "./plain-text.ts";

export type RequestGrammars = {
  /** Output that is one JSON value valid against `schema`, then the grammar's stop text. */
  json(schema: GbnfJsonSchema): Promise<LlamaGrammar>;
  /** One of `names`, then a newline. */
  functionName(names: readonly string[], optionalPrefixSpace: boolean): Promise<LlamaGrammar>;
};

const KEEP = 64;

export function requestGrammars(llama: Llama): RequestGrammars {
  const cache = new Map<string, Promise<LlamaGrammar>>();
  const cached = (key: string, make: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> => {
    let grammar = cache.get(key);
    if (grammar) cache.delete(key); // re-inserted below: most recent last
    else {
      grammar = make();
      grammar.catch(() => cache.delete(key));
    }
    cache.set(key, grammar);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    return grammar;
  };
  return {
    json: (schema) => cached(`json:${JSON.stringify(schema)}`, async () => {
      const base = await llama.createGrammarForJsonSchema(schema as never);
      return llama.createGrammar({ grammar: tightenJsonGrammar(base.grammar), stopGenerationTriggers: base.stopGenerationTriggers, trimWhitespaceSuffix: true });
    }),
    functionName: (names, space) => cached(`name:${space}:${names.join(",")}`, () =>
      llama.createGrammar({ grammar: functionNameGrammar(names, space), stopGenerationTriggers: [LlamaText("\n")], trimWhitespaceSuffix: true })),
  };
}

/** A grammar's stop triggers as text (one holding a special token by role cannot show up in text and is left out). */
export function grammarStops(grammar: LlamaGrammar): string[] {
  return grammar.stopGenerationTriggers.map((t) => plainText(t)).filter((s): s is string => s !== null && s !== "");
}
