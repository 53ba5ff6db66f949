#!/usr/bin/env bun
/**
 * `macprovider <command>`: the one entry point over the stage scripts (PIPE-2). Subcommands load
 * lazily, so `make-fixtures` or `runs` never load llama.cpp.
 */
import { defineCommand, showUsage, type CommandDef } from "citty";
import { CliError } from "../lib/cli/cli-error.ts";
import { resolveSubCommand, runScript } from "../lib/cli/io/run-script.ts";
import { isCompiledBinary } from "../lib/cli/io/self-command.ts";
import pkg from "../package.json" with { type: "json" };

const commands: Record<string, () => Promise<CommandDef<any>>> = {
  serve: () => import("./serve.ts").then((m) => m.serveCommand),
  "make-fixtures": () => import("./make-fixtures.ts").then((m) => m.makeFixturesCommand),
  demo: () => import("./demo.ts").then((m) => m.demoCommand),
  engine: () => import("./engine.ts").then((m) => m.engineCommand),
  runs: () => import("./runs.ts").then((m) => m.runsCommand),
  pull: () => import("./pull.ts").then((m) => m.pullCommand),
  prewarm: () => import("./prewarm.ts").then((m) => m.prewarmCommand),
  stage1: () => import("./stage1.ts").then((m) => m.stage1Command),
  stage2: () => import("./stage2.ts").then((m) => m.stage2Command),
  autotune: () => import("./autotune.ts").then((m) => m.autotuneCommand),
  apply: () => import("./apply.ts").then((m) => m.applyCommand),
  service: () => import("./service.ts").then((m) => m.serviceCommand),
};

const helpCommand = defineCommand({
  meta: { name: "help", description: "Show the usage of a command: `macprovider help serve`." },
  args: { command: { type: "positional", required: false, description: "The command to describe." } },
  async run({ args }) {
    const name = args.command as string | undefined;
    if (!name) return showUsage(main);
    if (!commands[name]) throw new CliError(`help: unknown command "${name}"; commands: ${Object.keys(commands).join(", ")}`);
    const { target, parent } = await resolveSubCommand(main, [name]);
    return showUsage(target, parent);
  },
});

export const main = defineCommand({
  meta: { name: "macprovider", version: pkg.version, description: "A well-tuned local LLM provider: OpenAI-compatible serve on llama.cpp, and an autotuner." },
  subCommands: { ...commands, help: helpCommand },
});

/**
 * node-llama-cpp tests a prebuilt llama.cpp binary in a child it forks with its own test script; a
 * compiled executable always runs its embedded entry point, so the child lands here: run the script.
 */
const bindingTest = isCompiledBinary() && process.env.TEST_BINDING_CP === "true" && process.argv[2]?.endsWith("testBindingBinary.js") ? process.argv[2] : null;

if (bindingTest) await import(bindingTest);
else if (import.meta.main) {
  await runScript(main);
  // Every command but serve (whose server keeps running after its command returns) is over here,
  // even when node-llama-cpp's downloader still retries a download given up on in the background.
  if (process.argv[2] !== "serve") process.exit(process.exitCode ?? 0);
}
