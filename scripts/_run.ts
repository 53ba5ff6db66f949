/**
 * Runs a citty command the way every script here wants: `--help` to stdout, user errors as one
 * line with their exit code, anything else with its stack (exit 70).
 */
import { runCommand, showUsage, type CommandDef } from "citty";
import { CliError, EXIT } from "../lib/cli-error.ts";
import { GgufIntegrityError } from "../lib/check-gguf-integrity.ts";
import { logger } from "../lib/logger.ts";

export async function runScript(cmd: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    const subCommands = typeof cmd.subCommands === "object" ? (cmd.subCommands as Record<string, CommandDef<any>>) : undefined;
    const sub = rawArgs[0] && subCommands?.[rawArgs[0]];
    await (sub ? showUsage(sub, cmd) : showUsage(cmd));
    return;
  }
  try {
    await runCommand(cmd, { rawArgs });
  } catch (error) {
    process.exitCode = reportError(error, rawArgs.includes("--verbose"));
  }
}

/** Prints an error the way the user needs it and returns the exit code. */
export function reportError(error: unknown, verbose = false): number {
  if (error instanceof CliError || error instanceof GgufIntegrityError) {
    logger.error(verbose ? error : error.message);
    return error instanceof CliError ? error.exitCode : EXIT.config;
  }
  // citty's own argument errors (unknown subcommand, missing required arg) are usage errors.
  if (error instanceof Error && error.name === "CLIError") {
    logger.error(error.message);
    return EXIT.usage;
  }
  logger.error(error);
  return EXIT.software;
}
