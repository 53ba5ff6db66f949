/**
 * The event handling of a streamed completion as plain state: feed it the SSE events with the time
 * each arrived and it yields the ProbeResult. No clock, socket or timer of its own, so recorded
 * streams replay through the very code that measures live ones.
 */
import { sseEventData } from "./frame-splitter.ts";
import type { ProbeResult } from "./probe-result.ts";

type Chunk = {
  choices?: { delta?: { content?: unknown }; text?: unknown }[];
  usage?: { completion_tokens?: number; prompt_tokens?: number };
  timings?: ProbeResult["serverTimings"];
  error?: { message?: unknown } | string;
};

export class ProbeAccumulator {
  private status = 0;
  private firstAt: number | null = null;
  private lastAt: number;
  private deltas = 0;
  private text = "";
  private usageTokens: number | null = null;
  private promptTokens: number | null = null;
  private serverTimings: ProbeResult["serverTimings"] = null;
  /** Set once the stream is decided: [DONE], an error event, malformed data or an HTTP error. */
  private outcome: { ok: boolean; error: string | null } | null = null;

  /** `startedAt`: when the request was sent, on the same clock as the event times. */
  constructor(private readonly startedAt: number) {
    this.lastAt = startedAt;
  }

  /** True once the stream is decided; later events are ignored. */
  get done(): boolean {
    return this.outcome !== null;
  }

  /** True once the first content delta arrived (TTFT is known). */
  get hasFirstToken(): boolean {
    return this.firstAt !== null;
  }

  /** The response's HTTP status; a status outside 2xx decides the probe as failed with the body's gist. */
  response(status: number, errorBody = ""): void {
    this.status = status;
    if (status < 200 || status > 299) this.outcome = { ok: false, error: `HTTP ${status}: ${errorGist(errorBody)}` };
  }

  /** Feeds one raw SSE event (a frame between blank lines) that arrived at `at`; returns `done`. */
  pushEvent(event: string, at: number): boolean {
    if (this.outcome) return true;
    const data = sseEventData(event);
    if (data === null) return false; // a comment or keep-alive
    if (data === "[DONE]") return this.decide(true, null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return this.decide(false, `malformed SSE data: ${oneLine(data).slice(0, 120)}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return this.decide(false, `malformed SSE data (not a JSON object): ${oneLine(data).slice(0, 120)}`);
    }
    return this.pushChunk(parsed as Chunk, at);
  }

  /** The result as of `at`; `endError` says why reading stopped early (abort, network), if it did. */
  finish(at: number, endError: string | null = null): ProbeResult {
    const outcome = this.outcome ?? { ok: false, error: endError ?? "the stream ended without [DONE]" };
    // Deltas undercount tokens: a character split across tokens arrives as one delta.
    const tokens = this.usageTokens ?? this.deltas;
    const decoding = this.firstAt !== null && tokens > 1 && this.lastAt > this.firstAt;
    return {
      ok: outcome.ok,
      status: this.status,
      error: outcome.error,
      text: this.text,
      ttftMs: this.firstAt === null ? null : this.firstAt - this.startedAt,
      totalMs: at - this.startedAt,
      completionTokens: tokens || null,
      promptTokens: this.promptTokens,
      serverTimings: this.serverTimings,
      decodeTokensPerSecond: decoding ? (tokens - 1) / ((this.lastAt - this.firstAt!) / 1000) : null,
    };
  }

  private pushChunk(chunk: Chunk, at: number): boolean {
    if (chunk.error) {
      const message = typeof chunk.error === "string" ? chunk.error : String(chunk.error.message ?? JSON.stringify(chunk.error));
      return this.decide(false, `stream error: ${oneLine(message)}`);
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content ?? choice?.text;
    if (typeof delta === "string" && delta !== "") {
      if (this.firstAt === null) this.firstAt = at;
      this.lastAt = at;
      this.deltas++;
      this.text += delta;
    }
    if (chunk.timings) this.serverTimings = chunk.timings;
    if (chunk.usage) {
      this.usageTokens = chunk.usage.completion_tokens ?? null;
      this.promptTokens = chunk.usage.prompt_tokens ?? null;
    }
    return false;
  }

  private decide(ok: boolean, error: string | null): true {
    this.outcome = { ok, error };
    return true;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** An OpenAI error body as "code: message"; any other body as its first 300 characters on one line. */
function errorGist(body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { message?: unknown; code?: unknown } }).error;
    if (typeof error?.message === "string") return oneLine(`${typeof error.code === "string" ? `${error.code}: ` : ""}${error.message}`);
  } catch {
    // not JSON: quote the text
  }
  return oneLine(body).slice(0, 300) || "(empty body)";
}
