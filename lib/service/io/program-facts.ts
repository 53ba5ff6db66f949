/**
 * This process's facts for `serviceProgram`: the executable, the entry module, and where
 * `scripts/cli.ts` lies in this checkout (used only when not running as the compiled binary).
 */
import { fileURLToPath } from "node:url";
import type { ProgramFacts } from "../service-program.ts";

export function currentProgramFacts(): ProgramFacts {
  return {
    execPath: process.execPath,
    mainPath: Bun.main,
    cliScript: fileURLToPath(new URL("../../../scripts/cli.ts", import.meta.url)),
  };
}
