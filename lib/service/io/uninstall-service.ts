/**
 * `service uninstall` (SVC-1): stops and unloads the provider's service through the runner, then
 * removes its plist or unit. Nothing installed is not an error (removed: false).
 */
import { rmSync } from "node:fs";
import { withFsErrors } from "../../cli/cli-error.ts";
import { managerCalls } from "../manager-calls.ts";
import { ServiceError } from "../service-error.ts";
import { mustRun } from "./install-service.ts";
import { queryService } from "./query-service.ts";
import { recordCalls, type ServiceContext } from "./service-context.ts";

export type UninstallReport = {
  platform: ServiceContext["platform"];
  manager: "launchd" | "systemd";
  file: string;
  /** Whether a service file was there and is now gone. */
  removed: boolean;
  commands: string[][];
};

export async function uninstallService(ctx: ServiceContext): Promise<UninstallReport> {
  const runner = recordCalls(ctx.runner);
  const report = await queryService({ ...ctx, runner });
  if (report.status === null && report.file_exists) throw new ServiceError(`service uninstall: cannot ask ${report.manager} whether it runs ${report.file}: ${report.error}`);
  const calls = managerCalls(ctx.uid, report.file)[report.manager];
  if (report.status?.loaded) {
    // disable --now needs the unit file, so stop before removing it.
    await mustRun(runner, "disableNow" in calls ? calls.disableNow : calls.unload);
  }
  if (report.file_exists) await withFsErrors("service uninstall: cannot remove the service file", async () => rmSync(report.file));
  if ("reload" in calls && (report.file_exists || report.status?.loaded)) await mustRun(runner, calls.reload);
  return { platform: ctx.platform, manager: report.manager, file: report.file, removed: report.file_exists, commands: runner.calls };
}
