/** A one-line download bar on stderr, redrawn in place; nothing at all when stderr is not a TTY. */
import { formatDownloadProgress } from "../format-prewarm-progress.ts";
import type { DownloadProgress } from "./download-model.ts";

export type DownloadBar = { update(label: string, progress: DownloadProgress): void; done(): void };

const REDRAW_MS = 200;

export function downloadBar(stream: NodeJS.WriteStream = process.stderr): DownloadBar {
  if (!stream.isTTY) return { update() {}, done() {} };
  let started = 0;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(label, { downloaded, total }) {
      const now = performance.now();
      if (!drawn) started = now;
      if (drawn && now - lastDraw < REDRAW_MS && downloaded < total) return;
      lastDraw = now;
      drawn = true;
      const line = formatDownloadProgress(label, downloaded, total, now - started);
      stream.write(`\r${line.slice(0, (stream.columns || 100) - 1)}\x1b[K`);
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
