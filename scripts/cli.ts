#!/usr/bin/env bun
/** `macprovider <command>`: the one entry point over the stage scripts (PIPE-2). */
import { defineCommand, showUsage, type CommandDef } from "citty";
import { demoCommand } from "./demo.ts";
import { engineCommand } from "./engine.ts";
import { makeFixturesCommand } from "./make-fixtures.ts";
import { serveCommand } from "./serve.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { CliError } from "../lib/cli/cli-error.ts";
import pkg from "../package.json" with { type: "json" };

const commands: Record<string, CommandDef<any>> = {
  serve: serveCommand,
  "make-fixtures": makeFixturesCommand,
  demo: demoCommand,
  engine: engineCommand,
};

const helpCommand = defineCommand({
  meta: { name: "help", description: "Show the usage of a command: `macprovider help serve`." },
  args: { command: { type: "positional", required: false, description: "The command to describe." } },
  async run({ args }) {
    const name = args.command as string | undefined;
    if (!name) return showUsage(main);
    const cmd = commands[name];
    if (!cmd) throw new CliError(`help: unknown command "${name}"; commands: ${Object.keys(commands).join(", ")}`);
    return showUsage(cmd, main);
  },
});

export const main = defineCommand({
  meta: { name: "macprovider", version: pkg.version, description: "A well-tuned local LLM provider: OpenAI-compatible serve on llama.cpp." },
  subCommands: { ...commands, help: helpCommand },
});

if (import.meta.main) await runScript(main);
