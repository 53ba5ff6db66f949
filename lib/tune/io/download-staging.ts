/**
 * A private folder inside the models folder for one download, so a partial file never carries a
 * model's name: complete, verified files are renamed into place (same file system: atomic), and
 * anything else goes with the folder. Folders of processes that died are removed on the next run.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { isProcessAlive } from "../../host/io/is-process-alive.ts";

const PREFIX = ".download-";

export type DownloadStaging = {
  dir: string;
  /** Moves every finished file into the models folder; returns where `entryPath` now is. */
  commit(entryPath: string): string;
  /** Removes the folder and whatever is left in it. */
  discard(): void;
};

export function openDownloadStaging(modelsDir: string): DownloadStaging {
  mkdirSync(modelsDir, { recursive: true });
  removeStaleStaging(modelsDir);
  const dir = mkdtempSync(join(modelsDir, `${PREFIX}${process.pid}-`));
  return {
    dir,
    commit(entryPath) {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isFile() && !entry.name.endsWith(".ipull")) renameSync(join(dir, entry.name), join(modelsDir, entry.name));
      }
      return join(modelsDir, basename(entryPath));
    },
    discard: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function removeStaleStaging(modelsDir: string): void {
  for (const name of readdirSync(modelsDir)) {
    const pid = Number(/^\.download-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) rmSync(join(modelsDir, name), { recursive: true, force: true });
  }
}

