/** The backup of a config file before apply replaces it (APL-3): created exclusively, never overwriting one. */
import { backupName } from "../backup-name.ts";
import { writeExclusive } from "./write-exclusive.ts";

/** Tries `<file>.bak-<stamp>-1`, then -2, … while the name is taken; returns the path written. */
export function writeBackup(configFile: string, original: Uint8Array, now: Date, mode: number): string {
  for (let n = 1; n <= 10_000; n++) {
    const path = backupName(configFile, now, n);
    try {
      writeExclusive(path, original, mode);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new Error(`every backup name ${backupName(configFile, now, 1).replace(/-1$/, "-<n>")} up to n = 10000 is taken`);
}
