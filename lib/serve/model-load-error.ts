/**
 * A model that passed the integrity check but that llama.cpp refused to load, said in one line with
 * llama.cpp's own reason. Exit 65 (EX_DATAERR): the file's content is wrong, not a setting (78), and
 * restarting will not help (a supervisor should not loop on it).
 */
import { CliError } from "../cli/cli-error.ts";

export const EX_DATAERR = 65;

export class ModelLoadError extends CliError {
  constructor(readonly file: string, readonly reason: string) {
    super(`model file ${file} could not be loaded by llama.cpp: ${reason}`, EX_DATAERR);
    this.name = "ModelLoadError";
  }
}

/**
 * llama.cpp's reason from its error lines: the first that says more than "failed to load", without
 * function-name prefixes; control bytes (names read from a corrupt file) blanked; at most 300
 * characters. `fallback` when it logged nothing.
 */
export function llamaLoadReason(lines: readonly string[], fallback: string): string {
  const reasons = lines
    .map((l) => l.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().replace(/^.*error loading model: /, "").replace(/^\w+: /, ""))
    .filter((r) => r !== "");
  const reason = reasons.find((r) => !/^failed to (load|read)\b/.test(r)) ?? reasons[0] ?? fallback;
  return reason.length > 300 ? `${reason.slice(0, 300)}…` : reason;
}
