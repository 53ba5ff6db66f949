/**
 * `service install` (SVC-1): writes the launchd plist or the systemd user unit that runs `serve`,
 * then loads it through the runner (launchd: bootout when already loaded, bootstrap; systemd:
 * daemon-reload, enable --now, and restart when the unit was already installed).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { withFsErrors } from "../../cli/cli-error.ts";
import { describeCommandFailure, type CommandRunner } from "../../host/io/command-runner.ts";
import { launchdPlist } from "../launchd-plist.ts";
import { managerCalls } from "../manager-calls.ts";
import { parseServiceStatus } from "../parse-service-status.ts";
import { ServiceError } from "../service-error.ts";
import { serviceFiles } from "../service-names.ts";
import { systemdUnit } from "../systemd-unit.ts";
import { recordCalls, type ServiceContext } from "./service-context.ts";

export type InstallReport = {
  platform: ServiceContext["platform"];
  manager: "launchd" | "systemd";
  file: string;
  /** The command line the service runs. */
  program: string[];
  /** launchd's log folder; null for systemd (the journal: `journalctl --user -u macprovider`). */
  log_dir: string | null;
  /** Every manager call made, in order. */
  commands: string[][];
};

/** `program`: the service's whole argv (`serviceProgram`). */
export async function installService(ctx: ServiceContext, program: string[]): Promise<InstallReport> {
  const { file, logDir } = serviceFiles(ctx.platform, ctx.home);
  const text = ctx.platform === "darwin" ? launchdPlist({ programArguments: program, logDir: logDir! }) : systemdUnit({ execStart: program });
  const runner = recordCalls(ctx.runner);
  const reinstall = existsSync(file);
  await withFsErrors("service install: cannot write the service file", async () => {
    if (logDir) mkdirSync(logDir, { recursive: true });
    writeAtomically(file, text);
  });
  const calls = managerCalls(ctx.uid, file);
  if (ctx.platform === "darwin") {
    const loaded = parseServiceStatus("darwin", await runner.run(calls.launchd.query))?.loaded;
    if (loaded) await mustRun(runner, calls.launchd.unload);
    await mustRun(runner, calls.launchd.load);
  } else {
    await mustRun(runner, calls.systemd.reload);
    await mustRun(runner, calls.systemd.enableNow);
    if (reinstall) await mustRun(runner, calls.systemd.restart);
  }
  return { platform: ctx.platform, manager: ctx.platform === "darwin" ? "launchd" : "systemd", file, program, log_dir: logDir, commands: runner.calls };
}

/** Runs a manager call that has to succeed; a failure is one line naming the command (exit 69). */
export async function mustRun(runner: CommandRunner, argv: readonly string[]): Promise<void> {
  const result = await runner.run(argv);
  if (result.code !== 0) throw new ServiceError(`service: ${describeCommandFailure(argv, result)}`);
}

/** A temp file beside `file`, renamed over it: the manager never reads half a file. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text, { mode: 0o644 });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
