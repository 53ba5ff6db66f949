/**
 * A completion session as an HTTP response: one JSON body, or an SSE stream. Both map the session's
 * ending the same way: cut by shutdown → 503 `shutting_down` (in-band once streaming), cut by the
 * client → 499 (nothing more is written), finished → the body with its finish reason.
 */
import { ApiError } from "../api-error.ts";
import { chunkBody, completionBody, sseEvent, textChunkEvents, timings, usage, type AnswerCall, type CallDelta } from "../openai-format.ts";
import { shuttingDown, CLIENT_GONE, type CompletionSession } from "./completion-session.ts";
import type { AnswerPiece } from "./generate-answer.ts";

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" };

export async function renderJsonCompletion(session: CompletionSession): Promise<Response> {
  try {
    let text = "";
    const calls: AnswerCall[] = [];
    for (;;) {
      const piece = await session.pieces.next();
      if (!piece.done) {
        const p = piece.value;
        if (p.kind === "text") text += p.text;
        else if (p.kind === "call") calls.push({ id: p.id, name: p.name, arguments: "" });
        else calls.at(-1)!.arguments += p.text;
        continue;
      }
      const { stats, finishReason, cutBy } = piece.value;
      if (cutBy === "shutdown") throw shuttingDown();
      if (cutBy === "client") throw new ApiError(499, "client disconnected", "client_closed");
      return Response.json(completionBody(session.meta, text, finishReason, usage(session.promptTokens, stats.completionTokens), timings(stats), calls));
    }
  } finally {
    await session.release();
  }
}

/**
 * `ended` gets the status /metrics counts once the stream is over: 200 for a full answer, 499 when
 * the client left, 503 when cut by shutdown, 500 when generation failed (each said in-band).
 */
export function renderSseCompletion(session: CompletionSession, includeUsage: boolean, ended: (status: number) => void): Response {
  const { meta } = session;
  let calls = 0;
  let pulled = false;
  let status = 200;
  // Bun's direct stream writes each event straight to the socket: no chunk queue, no encoding
  // step, which matters when every token is an event.
  const stream = new ReadableStream({
    type: "direct",
    async pull(controller: ReadableStreamDirectController) {
      pulled = true;
      const write = (event: string) => {
        controller.write(event);
        controller.flush();
      };
      const send = (data: unknown) => write(sseEvent(data));
      const textEvent = textChunkEvents(meta);
      try {
        if (meta.kind === "chat") send(chunkBody(meta, { role: true }));
        for (;;) {
          const piece = await session.pieces.next();
          if (!piece.done) {
            const part = piece.value;
            if (part.kind === "text") write(textEvent(part.text));
            else send(chunkBody(meta, { call: callPart(part, calls) }));
            if (part.kind === "call") calls++;
            continue;
          }
          const { stats, finishReason, cutBy } = piece.value;
          if (cutBy === "shutdown") send(shuttingDown().body());
          if (cutBy) {
            status = cutBy === "shutdown" ? 503 : 499;
            break;
          }
          send(chunkBody(meta, { finishReason, timings: timings(stats) }));
          if (includeUsage) send(chunkBody(meta, { usage: usage(session.promptTokens, stats.completionTokens) }));
          send("[DONE]");
          break;
        }
      } catch (error) {
        // Headers are gone already: report in-band, then end the stream.
        const cutBy = session.cutBy();
        status = cutBy === "client" ? 499 : cutBy === "shutdown" ? 503 : 500;
        if (!cutBy) {
          try { send({ error: { message: (error as Error).message, type: "server_error", param: null, code: "generation_failed" } }); } catch { /* client gone */ }
        }
      } finally {
        await session.release();
        try { controller.close(); } catch { /* client already gone */ }
        ended(status);
      }
    },
    cancel() {
      session.abort(CLIENT_GONE);
      if (!pulled) {
        void session.release(); // the client left before the body was ever pulled
        ended(499);
      }
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

/** A tool-call piece as a chunk's call part; `calls` is how many calls the stream has opened before it. */
function callPart(piece: Exclude<AnswerPiece, { kind: "text" }>, calls: number): CallDelta {
  if (piece.kind === "call") return { index: calls, id: piece.id, name: piece.name };
  return { index: calls - 1, arguments: piece.text };
}
