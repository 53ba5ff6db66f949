/**
 * Validates an OpenAI chat or text completion body into plain options. Every rejection is a 400
 * naming the field (`param`) and what it allows; unknown fields are ignored, as OpenAI clients
 * send extras.
 */
import { ApiError } from "./api-error.ts";
import { parseChatMessages, type ChatMessage } from "./parse-chat-messages.ts";
import { parseLogitBias, type LogitBias } from "./parse-logit-bias.ts";
import { parseResponseFormat, type ResponseFormat } from "./structured/parse-response-format.ts";
import { parseTools, type Tools } from "./tools/parse-tools.ts";

export type { ChatMessage } from "./parse-chat-messages.ts";

export type CompletionRequest = {
  kind: "chat" | "text";
  model: string | null;
  messages: ChatMessage[];
  prompt: string;
  /** null = up to the context window. */
  maxTokens: number | null;
  temperature: number;
  topP: number | undefined;
  topK: number | undefined;
  seed: number | undefined;
  /** Token id → logit bias (see parseLogitBias), null when none. */
  logitBias: LogitBias | null;
  stop: string[];
  stream: boolean;
  includeUsage: boolean;
  ignoreEos: boolean;
  cachePrompt: boolean;
  /** The JSON schema the answer is generated under, if any. */
  responseFormat: ResponseFormat;
  /** Functions the model is offered (chat only), null when none. */
  tools: Tools | null;
};

const bad = (param: string, message: string) => new ApiError(400, `${param}: ${message}`, "invalid_value", param);

export function parseCompletionRequest(kind: "chat" | "text", body: unknown): CompletionRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "the request body must be a JSON object", "invalid_request", null);
  }
  const b = body as Record<string, unknown>;
  const opt = <T>(param: string, check: (v: unknown) => T): T | undefined => (b[param] === undefined || b[param] === null ? undefined : check(b[param]));

  const model = opt("model", (v) => (typeof v === "string" ? v : (() => { throw bad("model", "must be a string"); })())) ?? null;
  const n = opt("n", integerIn("n", 1, 1));
  void n; // only n = 1 is served; integerIn rejects the rest
  const maxTokens = opt("max_completion_tokens", integerIn("max_completion_tokens", 1)) ?? opt("max_tokens", integerIn("max_tokens", 1)) ?? null;
  const temperature = opt("temperature", numberIn("temperature", 0, 2)) ?? 1;
  const topP = opt("top_p", numberIn("top_p", 0, 1));
  const topK = opt("top_k", integerIn("top_k", 0));
  const seed = opt("seed", integerIn("seed", -(2 ** 53), 2 ** 53));
  const logitBias = opt("logit_bias", parseLogitBias) ?? null;
  const stop = opt("stop", parseStop) ?? [];
  const stream = opt("stream", boolean("stream")) ?? false;
  const streamOptions = opt("stream_options", (v) => {
    if (typeof v !== "object" || Array.isArray(v)) throw bad("stream_options", "must be an object");
    return v as Record<string, unknown>;
  });
  const includeUsage = streamOptions?.include_usage === undefined ? false : boolean("stream_options.include_usage")(streamOptions.include_usage);
  const ignoreEos = opt("ignore_eos", boolean("ignore_eos")) ?? false;
  const cachePrompt = opt("cache_prompt", boolean("cache_prompt")) ?? true;

  const responseFormat = parseResponseFormat(b.response_format);
  const tools = parseTools(b, kind);
  if (tools?.choice === "auto" && responseFormat.type === "json") {
    // One grammar cannot leave the choice between a call and a JSON answer to the model.
    throw bad("response_format", "cannot be combined with tool_choice \"auto\"; use \"none\", \"required\" or a named function");
  }

  const common = { kind, model, maxTokens, temperature, topP, topK, seed, logitBias, stop, stream, includeUsage, ignoreEos, cachePrompt, responseFormat, tools };
  if (kind === "chat") return { ...common, messages: parseChatMessages(b.messages), prompt: "" };
  return { ...common, messages: [], prompt: parsePrompt(b.prompt) };
}

function integerIn(param: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: unknown): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw bad(param, `must be an integer ${max === min ? `equal to ${min}` : max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `≥ ${min}`}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
}

function numberIn(param: string, min: number, max: number) {
  return (v: unknown): number => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw bad(param, `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  };
}

function boolean(param: string) {
  return (v: unknown): boolean => {
    if (typeof v !== "boolean") throw bad(param, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
}

function parseStop(v: unknown): string[] {
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || list.length > 4 || list.some((s) => typeof s !== "string" || s === "")) {
    throw bad("stop", "must be a non-empty string or a list of up to 4 non-empty strings");
  }
  return list as string[];
}

function parsePrompt(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
  throw bad("prompt", "must be a string (or a list of exactly one string)");
}
