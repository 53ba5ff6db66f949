/**
 * `macprovider engine build|status`: build llama.cpp natively for this machine through
 * node-llama-cpp's own source build (offline, from the git bundle it ships), and show which build
 * `serve` would use.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { patchAddonContextSource } from "../lib/engine/addon-context-patch.ts";
import { CliError } from "../lib/cli/cli-error.ts";
import { describeEngine, openEngine } from "../lib/engine/io/open-engine.ts";
import type { EngineChoice } from "../lib/engine/engine-knobs.ts";
import { hostLocalBuildOptions, listLocalBuilds, NODE_LLAMA_CPP_DIR } from "../lib/engine/io/local-builds.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";

const NLC_DIR = NODE_LLAMA_CPP_DIR;

const buildCommand = defineCommand({
  meta: { name: "build", description: "Build llama.cpp for this CPU from node-llama-cpp's bundled source (offline; minutes on 2 cores)." },
  args: {},
  async run() {
    const sourceCloned = existsSync(join(NLC_DIR, "llama/llama.cpp/CMakeLists.txt"));
    const addonPath = join(NLC_DIR, "llama/addon/AddonContext.cpp");
    const backupPath = `${addonPath}.macprovider-orig`;
    // A build killed mid-way leaves the patched source behind: the backup restores it first.
    if (existsSync(backupPath)) renameSync(backupPath, addonPath);
    const pristine = readFileSync(addonPath, "utf8");
    let patched: string;
    try {
      patched = patchAddonContextSource(pristine);
    } catch (error) {
      throw new CliError(`engine build: ${(error as Error).message}`, 70);
    }
    const cmd = [process.execPath, join(NLC_DIR, "dist/cli/cli.js"), "source", sourceCloned ? "build" : "download", "--gpu", "false"];
    const env: Record<string, string | undefined> = { ...process.env, BUN_BE_BUN: "1" };
    const options = hostLocalBuildOptions();
    for (const [k, v] of Object.entries(options)) env[`NODE_LLAMA_CPP_CMAKE_OPTION_${k}`] = v;
    logger.start(`building llama.cpp (${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(" ")})`);
    const started = performance.now();
    // The patch lives in node-llama-cpp's addon source only for the duration of this build.
    copyFileSync(addonPath, backupPath);
    writeFileSync(addonPath, patched);
    const restore = () => {
      if (existsSync(backupPath)) renameSync(backupPath, addonPath);
    };
    let proc: ReturnType<typeof Bun.spawn> | undefined;
    // Stop the compiler before restoring, or it would go on building the unpatched source.
    const onSignal = async (signal: NodeJS.Signals) => {
      proc?.kill(signal);
      await proc?.exited;
      restore();
      process.exit(signal === "SIGTERM" ? 143 : 130);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let code: number;
    try {
      proc = Bun.spawn(cmd, { env, stdin: "ignore", stdout: "inherit", stderr: "inherit" });
      code = await proc.exited;
    } finally {
      restore();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    if (code !== 0) throw new CliError(`engine build: node-llama-cpp's source build failed (exit ${code}); see its log above`, 70);
    logger.success(`built in ${Math.round((performance.now() - started) / 1000)} s; \`--engine local\` (or auto) now uses it`);
  },
});

const statusCommand = defineCommand({
  meta: { name: "status", description: "Show the llama.cpp builds present and the one serve would use; prints JSON." },
  args: {
    engine: { type: "enum", options: ["auto", "prebuilt", "local"], default: "auto", description: "The --engine value to resolve. Defaults to auto." },
  },
  async run({ args }) {
    const llama = await openEngine({ engine: args.engine as EngineChoice });
    const status = {
      serve_would_use: { engine: args.engine, ...describeEngine(llama) },
      local_builds: listLocalBuilds(),
      prebuilt_packages: readdirSync(join(NLC_DIR, "..", "@node-llama-cpp")).filter((name) => name.startsWith(`${process.platform}-${process.arch}`)),
      local_build_cmake_options: hostLocalBuildOptions(),
    };
    process.stdout.write(JSON.stringify(status, null, 2) + "\n");
  },
});

export const engineCommand = defineCommand({
  meta: { name: "engine", description: "Build llama.cpp natively, or show which build serve would use." },
  subCommands: { build: buildCommand, status: statusCommand },
});

if (import.meta.main) await runScript(engineCommand);
