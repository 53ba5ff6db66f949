/**
 * Downloads an `hf:` reference or a URL through node-llama-cpp's own resolver and downloader (MOD-1)
 * into a staging folder, bounded by a stall watchdog (its downloader retries for many minutes), checks
 * the result, and only then renames it into the models folder.
 */
import { statSync } from "node:fs";
import type { ModelDownloader } from "node-llama-cpp";
import { createModelDownloader } from "../../engine/io/node-llama-cpp.ts";
import { ModelFileError } from "../model-file-error.ts";
import type { ModelRef } from "../model-ref.ts";
import { openDownloadStaging } from "./download-staging.ts";
import { preflightModelUrl } from "./preflight-model-url.ts";
import { stallWatchdog, type StallWatchdog } from "./stall-watchdog.ts";

export type DownloadProgress = { downloaded: number; total: number };

export type DownloadOptions = {
  modelsDir: string;
  /** Give up when no new bytes arrive for this long (also bounds the first answer). */
  stallMs: number;
  onProgress?: (progress: DownloadProgress) => void;
  /** Checks the complete file while it is still in staging; a throw discards it. */
  verify?: (stagedPath: string) => Promise<void> | void;
  signal?: AbortSignal;
};

/** Returns the model's path in the models folder. Throws ModelFileError (or what `verify` throws). */
export async function downloadModel(ref: Extract<ModelRef, { kind: "hf" | "url" }>, options: DownloadOptions): Promise<string> {
  const announced = ref.kind === "url" ? (await preflightModelUrl(ref.ref, options.stallMs)).contentLength : null;
  const staging = openDownloadStaging(options.modelsDir);
  const watchdog = stallWatchdog(options.stallMs, options.signal);
  try {
    const creating = createModelDownloader({
      modelUri: ref.ref,
      dirPath: staging.dir,
      fileName: ref.kind === "url" ? ref.fileName : undefined,
      showCliProgress: false, // its bar writes to stdout, which carries our JSON
      skipExisting: false,
      deleteTempFileOnCancel: true,
      onProgress: ({ downloadedSize, totalSize }) => {
        watchdog.progress(downloadedSize, totalSize);
        options.onProgress?.({ downloaded: downloadedSize, total: totalSize });
      },
    });
    // A downloader created after we gave up is closed at once.
    creating.then((d) => {
      if (watchdog.signal.aborted) void d.cancel();
    }, () => {});
    const downloader = await untilAborted(creating, watchdog.signal);
    const entry = await downloader.download({ signal: watchdog.signal });
    watchdog.stop(); // checking a large file takes a while without new bytes
    checkComplete(ref.ref, downloader, announced);
    await options.verify?.(entry);
    return staging.commit(entry);
  } catch (error) {
    throw watchdog.signal.aborted ? abortError(ref.ref, watchdog, options.stallMs) : asModelFileError(ref.ref, error);
  } finally {
    watchdog.stop();
    staging.discard();
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/** Every file as long as announced: a shorter one was cut short (PW-2 integrity). */
function checkComplete(ref: string, downloader: ModelDownloader, announced: number | null): void {
  const files = downloader.filesInfo;
  for (const file of files) {
    const expected = files.length === 1 && announced !== null ? announced : file.totalSize;
    const size = statSync(file.filePath).size;
    if (expected > 0 && size !== expected) throw new ModelFileError("cut_short", `download of ${ref} is incomplete: ${file.fileName} has ${size} of ${expected} bytes`);
  }
}

function abortError(ref: string, watchdog: StallWatchdog, stallMs: number): unknown {
  if (!watchdog.stalled) return watchdog.signal.reason; // the caller's signal: interrupted
  const seconds = stallMs / 1000;
  const { highWater, total } = watchdog;
  if (highWater > 0 && (total === 0 || highWater < total)) {
    return new ModelFileError("cut_short", `download of ${ref} cut short: ${highWater} of ${total || "an unknown number of"} bytes arrived, then nothing for ${seconds} s`);
  }
  return new ModelFileError("stalled", `no data from ${ref} for ${seconds} s`);
}

function asModelFileError(ref: string, error: unknown): unknown {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number") return new ModelFileError("http_status", `HTTP ${status} from ${ref}`, { cause: error });
  return error;
}
