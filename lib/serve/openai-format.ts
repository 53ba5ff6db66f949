/** Response and chunk bodies in OpenAI's shapes for chat and text completions. Pure. */
export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };
export type FinishReason = "stop" | "length" | "tool_calls";
/** A call the answer made; `arguments` is its JSON text as generated. */
export type AnswerCall = { id: string; name: string; arguments: string };

/**
 * llama-server's `timings` object, so tools written for it read ours. prompt_ms runs to the first
 * generated token (prefill plus one decode); predicted_per_second covers the tokens after it.
 */
export type Timings = {
  prompt_n: number;
  prompt_ms: number | null;
  prompt_per_second: number | null;
  predicted_n: number;
  predicted_ms: number | null;
  predicted_per_second: number | null;
};

export function timings(stats: { evaluatedPromptTokens: number; completionTokens: number; ttftMs: number | null; totalMs: number; decodeTokensPerSecond: number | null }): Timings {
  return {
    prompt_n: stats.evaluatedPromptTokens,
    prompt_ms: stats.ttftMs,
    prompt_per_second: stats.ttftMs ? stats.evaluatedPromptTokens / (stats.ttftMs / 1000) : null,
    predicted_n: stats.completionTokens,
    predicted_ms: stats.ttftMs === null ? null : stats.totalMs - stats.ttftMs,
    predicted_per_second: stats.decodeTokensPerSecond,
  };
}

export type CompletionMeta = { id: string; created: number; model: string; kind: "chat" | "text" };

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function completionBody(meta: CompletionMeta, text: string, finishReason: FinishReason, u: Usage, t: Timings, calls: readonly AnswerCall[] = []) {
  const base = { id: meta.id, created: meta.created, model: meta.model, system_fingerprint: "macprovider" };
  if (meta.kind === "chat") {
    // With calls, content is null unless the model wrote text before them (OpenAI's shape).
    const message = calls.length === 0 ? { role: "assistant", content: text } : { role: "assistant", content: text.trim() === "" ? null : text, tool_calls: calls.map(toolCall) };
    return {
      ...base, object: "chat.completion",
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage: u,
      timings: t,
    };
  }
  return { ...base, object: "text_completion", choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }], usage: u, timings: t };
}

function toolCall(call: AnswerCall) {
  return { id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } };
}

/** A streamed tool-call part: the call's start (id and name), or a piece of its arguments. */
export type CallDelta = { index: number; id?: string; name?: string; arguments?: string };

/** One streamed chunk: text (or the opening role for chat), a tool-call part, a finish reason, or usage only. */
export function chunkBody(meta: CompletionMeta, part: { text?: string; role?: true; call?: CallDelta; finishReason?: FinishReason; usage?: Usage; timings?: Timings }) {
  const base = { id: meta.id, created: meta.created, model: meta.model, system_fingerprint: "macprovider" };
  const object = meta.kind === "chat" ? "chat.completion.chunk" : "text_completion";
  if (part.usage) return { ...base, object, choices: [], usage: part.usage };
  const finish_reason = part.finishReason ?? null;
  const extra = part.timings ? { timings: part.timings } : {};
  if (meta.kind === "chat") {
    const delta = part.role ? { role: "assistant", content: "" } : part.text !== undefined ? { content: part.text } : part.call ? { tool_calls: [callDelta(part.call)] } : {};
    return { ...base, object, choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...extra };
  }
  return { ...base, object, choices: [{ index: 0, text: part.text ?? "", logprobs: null, finish_reason }], ...extra };
}

/** As OpenAI streams it: the first part carries id, type and name (arguments ""), the rest only arguments. */
function callDelta(c: CallDelta) {
  if (c.id !== undefined) return { index: c.index, id: c.id, type: "function", function: { name: c.name, arguments: "" } };
  return { index: c.index, function: { arguments: c.arguments } };
}

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}

/**
 * The SSE event of a text chunk, `sseEvent(chunkBody(meta, { text }))` byte for byte, with the
 * stream's fixed parts serialized once: a stream sends one of these per token, and serve's
 * per-token JavaScript runs with caches cold from the decode step before it.
 */
export function textChunkEvents(meta: CompletionMeta): (text: string) => string {
  const mark = "\u0000macprovider-text\u0000";
  const whole = sseEvent(chunkBody(meta, { text: mark }));
  const quoted = JSON.stringify(mark);
  const at = whole.lastIndexOf(quoted); // the text comes after every other string of the chunk
  const head = whole.slice(0, at), tail = whole.slice(at + quoted.length);
  return (text) => head + JSON.stringify(text) + tail;
}
