/** Reads a GGUF file's header through a 1 MiB window of positional reads (see readGgufHeader). */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readGgufHeader, type GgufHeaderRead } from "../read-gguf-header.ts";

const WINDOW_BYTES = 1 << 20;

/** Reads a GGUF file's header; closes the file before returning. */
export function readGgufHeaderFile(path: string): GgufHeaderRead {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    // A window of the file in memory: a 150k-token vocabulary is millions of tiny reads otherwise.
    let window = new Uint8Array(0);
    let windowStart = 0;
    const fill = (position: number, length: number) => {
      const buf = new Uint8Array(Math.max(0, Math.min(Math.max(length, WINDOW_BYTES), size - position)));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      window = buf.subarray(0, got);
      windowStart = position;
    };
    return readGgufHeader({
      size,
      read(position, length) {
        if (position < windowStart || position + length > windowStart + window.length) fill(position, length);
        const from = position - windowStart;
        return window.subarray(from, Math.min(from + length, window.length));
      },
    });
  } finally {
    closeSync(fd);
  }
}
