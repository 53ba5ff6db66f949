/**
 * A user-fixable failure with the exit code it maps to: printed as one line, without a stack.
 * 64 = EX_USAGE (bad arguments), 73 = EX_CANTCREAT, 78 = EX_CONFIG (bad configuration), per sysexits.h.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = 64) {
    super(message);
    this.name = "CliError";
  }
}

export const EXIT = { usage: 64, software: 70, cantCreate: 73, config: 78 } as const;

/** Runs a parse step; a plain Error from it becomes a one-line usage error (exit 64). */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

const FS_CODES = new Set(["EACCES", "EPERM", "ENOSPC", "EROFS", "ENOTDIR", "EISDIR", "ENOENT", "EDQUOT"]);

/** A file-system failure (no permission, disk full, …) as one line naming the action; other errors pass. */
export async function withFsErrors<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code && FS_CODES.has(e.code)) throw new CliError(`${action}: ${e.code} on ${e.path ?? "a file"}`, EXIT.cantCreate);
    throw error;
  }
}
