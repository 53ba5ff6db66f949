import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installService } from "../../../lib/service/io/install-service.ts";
import { queryService } from "../../../lib/service/io/query-service.ts";
import { uninstallService } from "../../../lib/service/io/uninstall-service.ts";
import { ServiceError } from "../../../lib/service/service-error.ts";
import { tempDir } from "../../helpers/fixtures.ts";
import { MANAGER_ANSWERS, recordingRunner } from "./recording-runner.ts";

const PROGRAM = ["/opt/mac provider/macprovider", "serve", "--config", "/home/ada/config.yaml"];
const PLIST = "Library/LaunchAgents/live.streamvc.macprovider.plist";
const UNIT = ".config/systemd/user/macprovider.service";
const SHOW = ["systemctl", "--user", "show", "macprovider.service", "--property=LoadState,ActiveState,SubState,MainPID,UnitFileState"];

const answering = (query: Record<string, unknown>) => (argv: string[]) => (argv[1] === "print" || argv[2] === "show" ? (query as { code: number }) : undefined);

async function serviceError(work: Promise<unknown>): Promise<ServiceError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).exitCode).toBe(69);
  return error as ServiceError;
}

describe("installService() on macOS", () => {
  test("installService() writes the plist, makes the log folder and bootstraps the agent", async () => {
    const home = tempDir();
    const runner = recordingRunner(answering(MANAGER_ANSWERS.launchdNotFound));
    const report = await installService({ platform: "darwin", home, uid: 501, runner }, PROGRAM);
    expect(readFileSync(join(home, PLIST), "utf8")).toContain("<string>/opt/mac provider/macprovider</string>");
    expect(existsSync(join(home, "Library/Logs/macprovider"))).toBe(true);
    expect(runner.calls).toEqual([["launchctl", "print", "gui/501/live.streamvc.macprovider"], ["launchctl", "bootstrap", "gui/501", join(home, PLIST)]]);
    expect(report).toEqual({ platform: "darwin", manager: "launchd", file: join(home, PLIST), program: PROGRAM, log_dir: join(home, "Library/Logs/macprovider"), commands: runner.calls });
  });

  test("installService() boots a loaded agent out before bootstrapping the new plist", async () => {
    const runner = recordingRunner(answering(MANAGER_ANSWERS.launchdRunning));
    await installService({ platform: "darwin", home: tempDir(), uid: 501, runner }, PROGRAM);
    expect(runner.calls.map((c) => c[1])).toEqual(["print", "bootout", "bootstrap"]);
  });

  test("installService() fails with one line naming the command when launchctl refuses (exit 69)", async () => {
    const runner = recordingRunner((argv) => (argv[1] === "bootstrap" ? { code: 5, stderr: "Bootstrap failed: 5: Input/output error\n" } : MANAGER_ANSWERS.launchdNotFound));
    const home = tempDir();
    const error = await serviceError(installService({ platform: "darwin", home, uid: 501, runner }, PROGRAM));
    expect(error.message).toBe(`service: \`launchctl bootstrap gui/501 ${join(home, PLIST)}\` exited 5: Bootstrap failed: 5: Input/output error`);
  });
});

describe("installService() on Linux", () => {
  test("installService() writes the unit, reloads systemd and enables it now", async () => {
    const home = tempDir();
    const runner = recordingRunner();
    const report = await installService({ platform: "linux", home, uid: 1000, runner }, PROGRAM);
    expect(readFileSync(join(home, UNIT), "utf8")).toContain('\nExecStart="/opt/mac provider/macprovider" serve --config /home/ada/config.yaml\n');
    expect(runner.calls).toEqual([["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", "macprovider.service"]]);
    expect(report).toMatchObject({ manager: "systemd", file: join(home, UNIT), log_dir: null });
  });

  test("installService() restarts a unit it rewrote", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".config/systemd/user"), { recursive: true });
    writeFileSync(join(home, UNIT), "[Service]\nExecStart=/old serve\n");
    const runner = recordingRunner();
    await installService({ platform: "linux", home, uid: 1000, runner }, PROGRAM);
    expect(runner.calls.map((c) => c[2])).toEqual(["daemon-reload", "enable", "restart"]);
    expect(readFileSync(join(home, UNIT), "utf8")).not.toContain("/old");
  });

  test("installService() fails with one line when systemd cannot be reached (exit 69)", async () => {
    const runner = recordingRunner(() => MANAGER_ANSWERS.noBus);
    const error = await serviceError(installService({ platform: "linux", home: tempDir(), uid: 1000, runner }, PROGRAM));
    expect(error.message).toBe("service: `systemctl --user daemon-reload` exited 1: Failed to connect to bus: No medium found");
  });
});

describe("uninstallService() and queryService()", () => {
  test("uninstallService() on Linux disables the unit now, removes it and reloads", async () => {
    const home = tempDir();
    await installService({ platform: "linux", home, uid: 1000, runner: recordingRunner() }, PROGRAM);
    const runner = recordingRunner(answering(MANAGER_ANSWERS.systemdRunning));
    const report = await uninstallService({ platform: "linux", home, uid: 1000, runner });
    expect(runner.calls).toEqual([SHOW, ["systemctl", "--user", "disable", "--now", "macprovider.service"], ["systemctl", "--user", "daemon-reload"]]);
    expect(report).toMatchObject({ removed: true, file: join(home, UNIT) });
    expect(existsSync(join(home, UNIT))).toBe(false);
  });

  test("uninstallService() on macOS boots the agent out and removes the plist", async () => {
    const home = tempDir();
    await installService({ platform: "darwin", home, uid: 501, runner: recordingRunner(answering(MANAGER_ANSWERS.launchdNotFound)) }, PROGRAM);
    const runner = recordingRunner(answering(MANAGER_ANSWERS.launchdRunning));
    expect((await uninstallService({ platform: "darwin", home, uid: 501, runner })).removed).toBe(true);
    expect(runner.calls).toEqual([["launchctl", "print", "gui/501/live.streamvc.macprovider"], ["launchctl", "bootout", "gui/501/live.streamvc.macprovider"]]);
    expect(existsSync(join(home, PLIST))).toBe(false);
  });

  test("uninstallService() with nothing installed changes nothing and is not an error", async () => {
    const runner = recordingRunner(answering(MANAGER_ANSWERS.systemdNotFound));
    expect(await uninstallService({ platform: "linux", home: tempDir(), uid: 1000, runner })).toMatchObject({ removed: false, commands: [SHOW] });
  });

  test("uninstallService() keeps the unit when systemd cannot say whether it runs (exit 69)", async () => {
    const home = tempDir();
    await installService({ platform: "linux", home, uid: 1000, runner: recordingRunner() }, PROGRAM);
    const error = await serviceError(uninstallService({ platform: "linux", home, uid: 1000, runner: recordingRunner(() => MANAGER_ANSWERS.noBus) }));
    expect(error.message).toContain("service uninstall: cannot ask systemd whether it runs");
    expect(existsSync(join(home, UNIT))).toBe(true);
  });

  test("queryService() reports the file and the manager's answer, or why there is none", async () => {
    const home = tempDir();
    expect(await queryService({ platform: "linux", home, uid: 1000, runner: recordingRunner(answering(MANAGER_ANSWERS.systemdRunning)) })).toEqual({
      platform: "linux", manager: "systemd", file: join(home, UNIT), file_exists: false, status: { loaded: true, running: true, pid: 4242, state: "active (running)" }, error: null,
    });
    const noBus = await queryService({ platform: "linux", home, uid: 1000, runner: recordingRunner(() => MANAGER_ANSWERS.noBus) });
    expect(noBus).toMatchObject({ status: null, error: `\`${SHOW.join(" ")}\` exited 1: Failed to connect to bus: No medium found` });
  });
});
