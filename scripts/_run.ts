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
    // Walk `engine build --help` down to the innermost subcommand named.
    let parent: CommandDef<any> | undefined;
    let current = cmd;
    for (const word of rawArgs) {
      const subs = typeof current.subCommands === "object" ? (current.subCommands as Record<string, CommandDef<any>>) : undefined;
      if (!subs?.[word]) break;
      parent = current;
      current = subs[word];
    }
    await showUsage(current, parent);
    return;
  }
  try {
    rejectUnknownFlags(cmd, rawArgs);
    await runCommand(cmd, { rawArgs });
  } catch (error) {
    process.exitCode = reportError(error, rawArgs.includes("--verbose"));
  }
}

/**
 * citty ignores flags it does not know, so `--max-contxt 4096` would silently serve the default.
 * Every `--flag` must name an argument of the (sub)command; booleans also take `--no-flag`.
 */
export function rejectUnknownFlags(cmd: CommandDef<any>, rawArgs: string[]): void {
  const subCommands = typeof cmd.subCommands === "object" ? (cmd.subCommands as Record<string, CommandDef<any>>) : undefined;
  const sub = rawArgs[0] !== undefined ? subCommands?.[rawArgs[0]] : undefined;
  if (sub) return rejectUnknownFlags(sub, rawArgs.slice(1));
  const defs = (typeof cmd.args === "object" ? cmd.args : {}) as Record<string, { type?: string; alias?: string | string[] }>;
  const known = new Set<string>();
  const booleans = new Set<string>();
  for (const [name, def] of Object.entries(defs)) {
    const forms = [name, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)];
    for (const form of [...forms, ...[def.alias ?? []].flat()]) {
      known.add(form);
      if (def.type === "boolean") booleans.add(form);
    }
  }
  for (const token of rawArgs) {
    if (token === "--") break;
    if (!token.startsWith("-") || /^-\d/.test(token)) continue;
    const name = token.replace(/^--?/, "").split("=")[0]!;
    if (known.has(name) || (name.startsWith("no-") && booleans.has(name.slice(3)))) continue;
    const meta = typeof cmd.meta === "object" ? (cmd.meta as { name?: string }) : undefined;
    throw new CliError(`${meta?.name ?? "command"}: unknown option ${token.split("=")[0]}; see --help for the options`);
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
