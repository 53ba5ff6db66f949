/** The progress lines of pre-warm on stderr: one per candidate, and a download bar on a TTY. */
import type { PrewarmCandidate } from "./tune-documents.ts";

const MB = 1e6;

/** `[2/5] fx-500m warmed: estimate 918 MB, read 536 MB in 240 ms (3.1 s elapsed)` */
export function describePrewarmResult(c: PrewarmCandidate, index: number, total: number, elapsedMs: number): string {
  const head = `[${index}/${total}] ${c.name} ${c.status}`;
  const tail = `(${(elapsedMs / 1000).toFixed(1)} s elapsed)`;
  if (c.status === "warmed") {
    const vram = c.estimate_vram_bytes === undefined ? "" : ` + ${mb(c.estimate_vram_bytes)} VRAM`;
    return `${head}: estimate ${mb(c.estimate_bytes)}${vram}, weights read in ${c.load_ms} ms ${tail}`;
  }
  return `${head}: ${c.reason} ${tail}`;
}

/** `model.gguf [#########...........]  45%  480/1055 MB  12.3 MB/s` */
export function formatDownloadProgress(label: string, downloaded: number, total: number, elapsedMs: number, width = 20): string {
  const speed = elapsedMs > 0 ? `${(downloaded / MB / (elapsedMs / 1000)).toFixed(1)} MB/s` : "";
  if (total <= 0) return `${label}  ${megabytes(downloaded)} MB  ${speed}`;
  const share = Math.min(1, downloaded / total);
  const filled = Math.round(share * width);
  const bar = "#".repeat(filled) + ".".repeat(width - filled);
  return `${label} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}%  ${megabytes(downloaded)}/${megabytes(total)} MB  ${speed}`;
}

/** One decimal below 100 MB, so a small file's bar does not read 0/1 MB. */
function megabytes(bytes: number): string {
  return bytes < 100 * MB ? (bytes / MB).toFixed(1) : String(Math.round(bytes / MB));
}

function mb(bytes: number | null): string {
  return bytes === null ? "unknown" : `${Math.round(bytes / MB)} MB`;
}
