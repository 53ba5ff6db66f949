/**
 * `macprovider service install|uninstall|status` (SVC-1): runs `serve` as a launchd agent (macOS)
 * or a systemd user unit (Linux). Every manager call goes through the command runner; the home
 * folder is $HOME. Prints a JSON report on stdout.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { asUsage } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { createCommandRunner } from "../lib/host/io/command-runner.ts";
import { configPath } from "../lib/host/io/paths.ts";
import { ServiceError } from "../lib/service/service-error.ts";
import { parseServicePlatform } from "../lib/service/service-names.ts";
import { serviceProgram } from "../lib/service/service-program.ts";
import { installService } from "../lib/service/io/install-service.ts";
import { currentProgramFacts } from "../lib/service/io/program-facts.ts";
import { queryService } from "../lib/service/io/query-service.ts";
import type { ServiceContext } from "../lib/service/io/service-context.ts";
import { uninstallService } from "../lib/service/io/uninstall-service.ts";

const commonArgs = {
  platform: {
    type: "enum" as const, options: ["darwin", "linux"], valueHint: "darwin|linux",
    description: "Which service manager to use: darwin = launchd (a LaunchAgent), linux = systemd (a user unit). Defaults to this machine's platform.",
  },
  verbose: { type: "boolean" as const, description: "Show stacks on errors." },
};

function context(platform: string | undefined): ServiceContext {
  return {
    platform: asUsage(() => parseServicePlatform(platform ?? process.platform)),
    home: process.env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    runner: createCommandRunner(),
  };
}

const print = (doc: unknown) => process.stdout.write(JSON.stringify(doc, null, 2) + "\n");

const installCommand = defineCommand({
  meta: { name: "install", description: "Write the service file that runs `serve --config <path>` and start it (launchctl bootstrap / systemctl --user enable --now)." },
  args: {
    config: { type: "string", valueHint: "FILE", description: "The config file the service's serve reads (made absolute). Defaults to $MACPROVIDER_CONFIG, else $XDG_CONFIG_HOME/macprovider/config.yaml." },
    ...commonArgs,
  },
  async run({ args }) {
    const ctx = context(args.platform);
    const config = resolve(args.config ?? configPath());
    if (!existsSync(config)) logger.warn(`service install: ${config} does not exist yet; serve refuses to start until it does (write it, or run \`macprovider apply\`)`);
    const program = asUsage(() => serviceProgram(currentProgramFacts(), config));
    const report = await installService(ctx, program);
    logger.success(`service installed: ${report.file}`);
    print(report);
  },
});

const uninstallCommand = defineCommand({
  meta: { name: "uninstall", description: "Stop the service (launchctl bootout / systemctl --user disable --now) and remove its file. Nothing installed is not an error." },
  args: commonArgs,
  async run({ args }) {
    const report = await uninstallService(context(args.platform));
    if (!report.removed) logger.info(`service uninstall: no service file at ${report.file}`);
    print(report);
  },
});

const statusCommand = defineCommand({
  meta: { name: "status", description: "Ask the service manager whether the provider's service is loaded and running (launchctl print / systemctl --user show)." },
  args: commonArgs,
  async run({ args }) {
    const report = await queryService(context(args.platform));
    if (report.status === null) throw new ServiceError(`service status: cannot ask ${report.manager}: ${report.error}`);
    print({ platform: report.platform, manager: report.manager, file: report.file, file_exists: report.file_exists, ...report.status });
  },
});

export const serviceCommand = defineCommand({
  meta: { name: "service", description: "Run the provider as a service: a launchd agent (macOS) or a systemd user unit (Linux)." },
  subCommands: { install: installCommand, uninstall: uninstallCommand, status: statusCommand },
});

if (import.meta.main) await runScript(serviceCommand);
