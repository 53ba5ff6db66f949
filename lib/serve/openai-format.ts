/** Response and chunk bodies in OpenAI's shapes for chat and text completions. Pure. */
export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };
export type FinishReason = "stop" | "length";

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

export function completionBody(meta: CompletionMeta, text: string, finishReason: FinishReason, u: Usage, t: Timings) {
  const base = { id: meta.id, created: meta.created, model: meta.model, system_fingerprint: "macprovider" };
  if (meta.kind === "chat") {
    return {
      ...base, object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: finishReason }],
      usage: u,
      timings: t,
    };
  }
  return { ...base, object: "text_completion", choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }], usage: u, timings: t };
}

/** One streamed chunk: text (or the opening role for chat), a finish reason, or usage only. */
export function chunkBody(meta: CompletionMeta, part: { text?: string; role?: true; finishReason?: FinishReason; usage?: Usage; timings?: Timings }) {
  const base = { id: meta.id, created: meta.created, model: meta.model, system_fingerprint: "macprovider" };
  const object = meta.kind === "chat" ? "chat.completion.chunk" : "text_completion";
  if (part.usage) return { ...base, object, choices: [], usage: part.usage };
  const finish_reason = part.finishReason ?? null;
  const extra = part.timings ? { timings: part.timings } : {};
  if (meta.kind === "chat") {
    const delta = part.role ? { role: "assistant", content: "" } : part.text !== undefined ? { content: part.text } : {};
    return { ...base, object, choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...extra };
  }
  return { ...base, object, choices: [{ index: 0, text: part.text ?? "", logprobs: null, finish_reason }], ...extra };
}

export function sseEvent(data: unknown): string {
  return `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}
