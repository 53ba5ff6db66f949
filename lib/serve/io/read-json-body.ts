import { ApiError } from "../api-error.ts";

/** A request body as JSON, at most `maxBytes` (413 past it, 400 when it does not parse). */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError(413, `the request body is ${declared} bytes, over the ${maxBytes}-byte limit`, "request_too_large");
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.length > maxBytes) throw new ApiError(413, `the request body is over the ${maxBytes}-byte limit`, "request_too_large");
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ApiError(400, `the request body is not valid JSON: ${(error as Error).message}`, "invalid_json");
  }
}
