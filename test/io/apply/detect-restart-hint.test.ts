import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectRestartHint } from "../../../lib/apply/io/detect-restart-hint.ts";
import { tempDir } from "../../helpers/fixtures.ts";
import { MANAGER_ANSWERS, recordingRunner } from "../service/recording-runner.ts";

const hint = (platform: string, home: string, answer: object, env: Record<string, string> = { HOME: home }) => {
  const runner = recordingRunner(() => answer);
  return detectRestartHint({ platform, home, uid: 501, runner, configFile: join(home, ".config/macprovider/config.yaml"), env }).then((text) => ({ text, calls: runner.calls }));
};

describe("detectRestartHint()", () => {
  test("detectRestartHint() picks launchd when launchctl has the agent loaded", async () => {
    const { text, calls } = await hint("darwin", "/Users/ada", MANAGER_ANSWERS.launchdRunning);
    expect(text).toStartWith("restart the launchd agent: launchctl bootout gui/501/live.streamvc.macprovider; launchctl bootstrap gui/501 ");
    expect(calls).toEqual([["launchctl", "print", "gui/501/live.streamvc.macprovider"]]);
  });

  test("detectRestartHint() picks systemd when the unit file is installed, even with the unit not loaded", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".config/systemd/user"), { recursive: true });
    writeFileSync(join(home, ".config/systemd/user/macprovider.service"), "[Service]\n");
    expect((await hint("linux", home, MANAGER_ANSWERS.systemdNotFound)).text).toBe("restart the systemd user unit: systemctl --user restart macprovider.service");
  });

  test("detectRestartHint() falls back to a foreground serve when no service is installed or the manager cannot answer", async () => {
    const home = tempDir();
    const foreground = "stop the running `macprovider serve` (Ctrl-C) and start it again: macprovider serve";
    expect((await hint("linux", home, MANAGER_ANSWERS.systemdNotFound)).text).toBe(foreground);
    expect((await hint("linux", home, MANAGER_ANSWERS.noBus)).text).toBe(foreground);
    expect((await hint("darwin", home, MANAGER_ANSWERS.launchdNotFound)).text).toBe(foreground);
    expect((await hint("linux", home, MANAGER_ANSWERS.noBus, { HOME: home, MACPROVIDER_CONFIG: "/elsewhere.yaml" })).text).toBe(`${foreground} --config ${join(home, ".config/macprovider/config.yaml")}`);
  });

  test("detectRestartHint() asks no manager on a platform without one", async () => {
    const { text, calls } = await hint("freebsd", "/home/ada", MANAGER_ANSWERS.systemdRunning);
    expect(text).toStartWith("stop the running `macprovider serve`");
    expect(calls).toEqual([]);
  });
});
