import type { CommandDef } from "citty";
import { CliError } from "./cli-error.ts";

/**
 * citty ignores flags it does not know, so `--max-contxt 4096` would silently serve the default.
 * Every `--flag` in `rawArgs` must name an argument of `cmd` (already resolved to the subcommand the
 * words name); booleans also take `--no-flag`. Throws a usage error (exit 64) naming the option.
 */
export function rejectUnknownFlags(cmd: CommandDef<any>, rawArgs: readonly string[]): void {
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
