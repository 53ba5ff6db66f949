/**
 * A request body as JSON, within a size and a time limit. Every refusal is an ApiError, so the
 * client gets OpenAI's error body and /metrics counts what the client was told: 413 past the size
 * (at once when Content-Length says so; the connection is then closed rather than drained), 408
 * when the body is not complete in time, 499 when the client left while sending it, 400 when it
 * does not parse.
 */
import { ApiError } from "../api-error.ts";

export type BodyLimits = { maxBytes: number; deadlineMs: number };

const CLOSE = { connection: "close" };
const TIMED_OUT = Symbol("timed out");

export async function readJsonBody(req: Request, limits: BodyLimits): Promise<unknown> {
  const { maxBytes, deadlineMs } = limits;
  const tooLarge = (size: string) => new ApiError(413, `the request body is ${size} the ${maxBytes}-byte limit`, "request_too_large", null, {}, CLOSE);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(`${declared} bytes, over`);

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body?.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), deadlineMs)));
  try {
    for (;;) {
      if (!reader) break;
      const step = await Promise.race([reader.read(), deadline]);
      if (step === TIMED_OUT) {
        throw new ApiError(408, `the request body was not received within ${deadlineMs / 1000} s`, "request_timeout", null, {}, CLOSE);
      }
      if (step.done) break;
      total += step.value.length;
      if (total > maxBytes) throw tooLarge("over");
      chunks.push(step.value);
    }
  } catch (error) {
    void reader?.cancel().catch(() => {});
    if (error instanceof ApiError) throw error;
    // Bun reports a client gone mid-body, and a chunked body its parser refused (it then answers
    // 400 itself, without a body), the same way: the connection closed. Neither is the server's fault.
    throw new ApiError(499, "the connection closed before the request body was complete", "client_closed");
  } finally {
    clearTimeout(timer);
  }
  try {
    return JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`, "invalid_json");
  }
}
