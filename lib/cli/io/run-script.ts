/**
 * Runs a citty command the way every script here wants: `--help` to stdout, user errors as one
 * line with their exit code, anything else with its stack (exit 70).
 */
import { runCommand, showUsage, type CommandDef, type Resolvable } from "citty";
import { rejectUnknownFlags } from "../reject-unknown-flags.ts";
import { CliError, EXIT } from "../cli-error.ts";
import { GgufIntegrityError } from "../../gguf/check-gguf-header.ts";
import { logger } from "./logger.ts";

export async function runScript(cmd: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
    const meta = typeof cmd.meta === "object" ? (cmd.meta as { name?: string; version?: string }) : {};
    process.stdout.write(`${meta.name ?? ""} ${meta.version ?? ""}`.trim() + "\n");
    return;
  }
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    const { target, parent } = await resolveSubCommand(cmd, rawArgs);
    await showUsage(target, parent);
    return;
  }
  try {
    const { target, rest } = await resolveSubCommand(cmd, rawArgs);
    rejectUnknownFlags(target, rest);
    await runCommand(cmd, { rawArgs });
  } catch (error) {
    process.exitCode = reportError(error, rawArgs.includes("--verbose"));
  }
}

/** Walks leading words down the subcommand tree (`engine build …`), loading lazy subcommands. */
export async function resolveSubCommand(cmd: CommandDef<any>, rawArgs: string[]) {
  let parent: CommandDef<any> | undefined;
  let target = cmd;
  let i = 0;
  for (; i < rawArgs.length; i++) {
    const subs = await resolveValue(target.subCommands) as Record<string, Resolvable<CommandDef<any>>> | undefined;
    const sub = subs?.[rawArgs[i]!];
    if (!sub) break;
    parent = target;
    target = await resolveValue(sub);
  }
  return { target, parent, rest: rawArgs.slice(i) };
}

/** citty's Resolvable: a value, a promise, or a function returning either. */
async function resolveValue<T>(v: Resolvable<T>): Promise<T> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
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
