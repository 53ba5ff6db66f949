/**
 * Runs a citty command the way every script here wants: `--help` to stdout, user errors as one
 * line with their exit code, anything else with its stack (exit 70).
 */
import { runCommand, showUsage, type CommandDef } from "citty";
import { CliError, EXIT } from "../cli-error.ts";
import { GgufIntegrityError } from "../../gguf/check-gguf-header.ts";
import { logger } from "./logger.ts";

export async function runScript(cmd: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    const { target, parent } = resolveSubCommand(cmd, rawArgs);
    await showUsage(target, parent);
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
export function rejectUnknownFlags(root: CommandDef<any>, allArgs: string[]): void {
  const { target: cmd, rest: rawArgs } = resolveSubCommand(root, allArgs);
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

/** Walks leading words down the subcommand tree (`engine build …`) to the command they name. */
function resolveSubCommand(cmd: CommandDef<any>, rawArgs: string[]) {
  let parent: CommandDef<any> | undefined;
  let target = cmd;
  let i = 0;
  for (; i < rawArgs.length; i++) {
    const subs = typeof target.subCommands === "object" ? (target.subCommands as Record<string, CommandDef<any>>) : undefined;
    const sub = subs?.[rawArgs[i]!];
    if (!sub) break;
    parent = target;
    target = sub;
  }
  return { target, parent, rest: rawArgs.slice(i) };
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
