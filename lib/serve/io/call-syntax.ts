/**
 * How the model's chat wrapper writes a function call (node-llama-cpp's `settings.functions`): the
 * text that opens one, what sits between the name and the arguments, and the texts that show the
 * model starting a call on its own. With the fixtures' ChatML wrapper: `||call: name(` + JSON + `)`.
 */
import type { ChatWrapper, LlamaText as LlamaTextType } from "node-llama-cpp";
import { LlamaText } from "../../engine/io/node-llama-cpp.ts";
import { plainText } from "./plain-text.ts";

export type CallSyntax = {
  /** Opens a call: the parallel-call section prefix, if the wrapper has one, then the call prefix. */
  opener: LlamaTextType;
  /** What follows the name, before the arguments. */
  paramsPrefix(name: string): LlamaTextType;
  /** A space may follow the opener before the name. */
  optionalPrefixSpace: boolean;
  /** Texts that mean the model opened a call itself (tool_choice auto), as they show in generated text. */
  triggers: string[];
};

export function callSyntax(wrapper: ChatWrapper): CallSyntax {
  const { call, parallelism } = wrapper.settings.functions;
  const sections = parallelism ? [parallelism.call.sectionPrefix, ...(parallelism.call.sectionPrefixAlternateMatches ?? [])] : [""];
  const prefixes = [call.prefix, ...(call.prefixAlternateMatches ?? [])];
  const triggers = sections.flatMap((section) => prefixes.map((prefix) => plainText(LlamaText([section, prefix]))));
  return {
    opener: LlamaText([parallelism?.call.sectionPrefix ?? "", call.prefix]),
    // As LlamaChat does: "{{functionName}}" in the wrapper's text stands for the name.
    paramsPrefix: (name) => LlamaText(call.paramsPrefix).mapValues((v) => (typeof v === "string" ? v.replaceAll("{{functionName}}", name) : v)),
    optionalPrefixSpace: call.optionalPrefixSpace,
    triggers: [...new Set(triggers.filter((t): t is string => t !== null && t.trim() !== ""))],
  };
}
