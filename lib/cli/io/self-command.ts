/**
 * How this program runs one of its own subcommands as a child process: the compiled `macprovider`
 * binary runs `<binary> <command>`; under Bun it is `<bun> <repo>/scripts/cli.ts <command>`.
 */
import { join } from "node:path";

/** True inside a `bun build --compile` executable, whose modules live under /$bunfs/. */
export function isCompiledBinary(): boolean {
  return import.meta.path.startsWith("/$bunfs/") || import.meta.path.startsWith("B:\\~BUN\\");
}

export function selfCommand(command: string): string[] {
  if (isCompiledBinary()) return [process.execPath, command];
  return [process.execPath, join(import.meta.dir, "../../../scripts/cli.ts"), command];
}
