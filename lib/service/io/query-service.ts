/** `service status`, and what apply and the conflict check ask: is the provider's service installed, loaded, running? */
import { existsSync } from "node:fs";
import { describeCommandFailure } from "../../host/io/command-runner.ts";
import { managerCalls } from "../manager-calls.ts";
import { parseServiceStatus, type ServiceStatus } from "../parse-service-status.ts";
import { serviceFiles, type ServicePlatform } from "../service-names.ts";
import type { ServiceContext } from "./service-context.ts";

export type ServiceReport = {
  platform: ServicePlatform;
  manager: "launchd" | "systemd";
  /** The plist or unit file `service install` writes. */
  file: string;
  file_exists: boolean;
  /** The manager's answer; null when it could not be asked (then `error` says why). */
  status: ServiceStatus | null;
  error: string | null;
};

export async function queryService(ctx: ServiceContext): Promise<ServiceReport> {
  const { file } = serviceFiles(ctx.platform, ctx.home);
  const manager = ctx.platform === "darwin" ? "launchd" : "systemd";
  const query = managerCalls(ctx.uid, file)[manager].query;
  const result = await ctx.runner.run(query);
  const status = parseServiceStatus(ctx.platform, result);
  return { platform: ctx.platform, manager, file, file_exists: existsSync(file), status, error: status === null ? describeCommandFailure(query, result) : null };
}

/** The manager that has the provider installed (its file written, or loaded from elsewhere), or null. */
export async function installedServiceManager(ctx: ServiceContext): Promise<"launchd" | "systemd" | null> {
  const report = await queryService(ctx);
  return report.file_exists || report.status?.loaded ? report.manager : null;
}
