/**
 * The restart hint (APL-4) for how the provider runs here: the launchd agent or the systemd user
 * unit when one is installed (asked through the command runner), else a foreground `serve`.
 */
import type { CommandRunner } from "../../host/io/command-runner.ts";
import { configPath } from "../../host/io/paths.ts";
import { installedServiceManager } from "../../service/io/query-service.ts";
import { restartHint, type ProviderManager } from "../restart-hint.ts";

export type RestartHintContext = {
  platform: string;
  home: string;
  uid: number;
  runner: CommandRunner;
  /** The config file written. */
  configFile: string;
  env: Record<string, string | undefined>;
};

export async function detectRestartHint(ctx: RestartHintContext): Promise<string> {
  let manager: ProviderManager = "foreground";
  if (ctx.platform === "darwin" || ctx.platform === "linux") {
    manager = (await installedServiceManager({ platform: ctx.platform, home: ctx.home, uid: ctx.uid, runner: ctx.runner })) ?? "foreground";
  }
  return restartHint({ manager, uid: ctx.uid, home: ctx.home, configFile: ctx.configFile, defaultConfigFile: configPath(ctx.env) });
}
