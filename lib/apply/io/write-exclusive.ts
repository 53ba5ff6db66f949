import { closeSync, fchmodSync, fsyncSync, openSync, rmSync, writeSync } from "node:fs";

/**
 * Creates `path` exclusively (O_CREAT | O_EXCL: EEXIST rather than overwrite), writes `data` with
 * `mode` and flushes it to disk, so a rename that follows never exposes a half-written file.
 */
export function writeExclusive(path: string, data: string | Uint8Array, mode: number): void {
  const fd = openSync(path, "wx", mode);
  try {
    fchmodSync(fd, mode); // the umask does not narrow a copy of the original's mode
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}
