/** A stage's input document as text: `--in FILE`, else stdin (refused on a terminal: nothing was piped in). */
import { readFileSync } from "node:fs";
import { CliError, EXIT } from "../cli-error.ts";

export function readDocumentInput(command: string, expected: string, path: string | undefined): string {
  if (path === undefined && process.stdin.isTTY) throw new CliError(`${command}: no input; pipe in a ${expected} document or pass --in FILE`, EXIT.usage);
  try {
    return readFileSync(path ?? 0, "utf8");
  } catch (error) {
    throw new CliError(`${command}: cannot read ${path ?? "stdin"}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
}
