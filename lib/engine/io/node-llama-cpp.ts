/**
 * The one place node-llama-cpp is loaded (PIPE-3). Under Bun it resolves from node_modules as usual;
 * the compiled binary cannot embed it (it finds its native files beside its own source), so there it
 * is imported at run time from the `node_modules` folder the build puts beside the executable. The
 * specifier is a variable so the bundler leaves it alone. Types come from `import type` as usual.
 */
import { dirname, join } from "node:path";
import type * as NodeLlamaCpp from "node-llama-cpp";
import { isCompiledBinary } from "../../cli/io/self-command.ts";

const specifier = isCompiledBinary() ? join(dirname(process.execPath), "node_modules", "node-llama-cpp", "dist", "index.js") : "node-llama-cpp";
const nlc = (await import(specifier)) as typeof NodeLlamaCpp;

export const { getLlama, NoBinaryFoundError, GgufInsights, readGgufFileInfo, resolveChatWrapper, SpecialTokensText, LlamaText, resolveModelFile, createModelDownloader, LlamaGrammarEvaluationState, LlamaContextSequence, TokenBias } = nlc;
export const LlamaLogLevel = nlc.LlamaLogLevel;
export const { getLlamaGpuTypes, InsufficientMemoryError } = nlc;
export type LlamaLogLevel = NodeLlamaCpp.LlamaLogLevel;
