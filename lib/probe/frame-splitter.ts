/**
 * Splits a byte or text stream into frames at a separator: "\n\n" for SSE events, "\n" for JSON lines.
 * One framer for the probe, the serve launcher and the tests; UTF-8 split across chunks is held.
 */
export class FrameSplitter {
  private buffered = "";
  private readonly decoder = new TextDecoder();

  constructor(private readonly separator: "\n\n" | "\n") {}

  /** The frames completed by this chunk, in order (empty frames included). */
  push(chunk: Uint8Array | string): string[] {
    // CRLF line ends (allowed by SSE) become LF; a CR at the very end waits for its LF.
    this.buffered = (this.buffered + (typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true }))).replace(/\r\n/g, "\n");
    const frames = this.buffered.split(this.separator);
    this.buffered = frames.pop()!;
    return frames;
  }

  /** What is left after the stream ended: an unterminated last frame, or "". */
  rest(): string {
    return this.buffered + this.decoder.decode();
  }
}

/** The `data:` payloads of a whole SSE text, in order (comments and other fields skipped). */
export function sseDataPayloads(text: string): string[] {
  const splitter = new FrameSplitter("\n\n");
  return [...splitter.push(text), splitter.rest()].flatMap((event) => {
    const data = sseEventData(event);
    return data === null ? [] : [data];
  });
}

/**
 * The data of one SSE event: its `data:` lines joined by "\n" (one optional space after the colon
 * dropped, per the SSE spec); null for an event with no data (a comment or keep-alive).
 */
export function sseEventData(event: string): string | null {
  const lines = event.split(/\r?\n/).filter((l) => l === "data" || l.startsWith("data:"));
  if (lines.length === 0) return null;
  return lines.map((l) => l.slice(5).replace(/^ /, "")).join("\n");
}
