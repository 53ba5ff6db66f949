/**
 * One bounded request before handing a URL to node-llama-cpp's downloader, which retries a refused
 * connection or an HTTP 5xx for many minutes: here they fail at once with the reason (PW-2 transient).
 */
import { ModelFileError } from "../model-file-error.ts";

/** The announced length of the file at `url` (null when the server does not say). */
export async function preflightModelUrl(url: string, timeoutMs: number): Promise<{ contentLength: number | null }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { "accept-encoding": "identity" }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error).name === "TimeoutError") throw new ModelFileError("stalled", `no answer from ${url} within ${timeoutMs / 1000} s`, { cause: error });
    throw new ModelFileError("network", `cannot reach ${url}: ${(error as Error).message}`, { cause: error });
  }
  await response.body?.cancel().catch(() => {}); // only the headers were wanted
  if (!response.ok) throw new ModelFileError("http_status", `HTTP ${response.status} ${response.statusText} from ${url}`.replace("  ", " "));
  const length = Number(response.headers.get("content-length"));
  return { contentLength: Number.isSafeInteger(length) && length > 0 ? length : null };
}
