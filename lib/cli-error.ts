/**
 * A user-fixable failure with the exit code it maps to: printed as one line, without a stack.
 * 64 = EX_USAGE (bad arguments), 78 = EX_CONFIG (bad configuration), per sysexits.h.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = 64) {
    super(message);
    this.name = "CliError";
  }
}

export const EXIT = { usage: 64, software: 70, config: 78 } as const;
