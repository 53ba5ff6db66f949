/** `bun scripts/service.ts` as a real subprocess: a temp HOME, fake launchctl/systemctl first on PATH. */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { fakeManagers, type FakeManagers } from "./fake-managers.ts";

async function runService(args: string[], managers: FakeManagers, env = isolatedEnv()) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/service.ts"), ...args], { cwd: tempDir(), env: managers.env(env), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code, home: env.HOME! };
}

const CLI = join(REPO_ROOT, "scripts", "cli.ts");

describe("scripts/service.ts", () => {
  test("service install --platform linux writes the unit running bun scripts/cli.ts serve --config <abs>, then reloads and enables it", async () => {
    const managers = fakeManagers();
    const env = isolatedEnv();
    const { stdout, stderr, code, home } = await runService(["install", "--platform", "linux", "--config", "my config.yaml"], managers, env);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const unitFile = join(home, ".config/systemd/user/macprovider.service");
    expect(report).toMatchObject({ platform: "linux", manager: "systemd", file: unitFile });
    const config = report.program.at(-1);
    expect(report.program).toEqual([process.execPath, CLI, "serve", "--config", config]);
    expect(config).toEndWith("/my config.yaml");
    expect(readFileSync(unitFile, "utf8")).toContain(`\nExecStart=${process.execPath} ${CLI} serve --config "${config}"\n`);
    expect(managers.calls()).toEqual(["systemctl --user daemon-reload", "systemctl --user enable --now macprovider.service"]);
    expect(stderr).toContain("does not exist yet"); // the config file is not there: a warning, not a refusal
  });

  test("service install --platform darwin writes the LaunchAgent and bootstraps it in the user's GUI domain", async () => {
    const managers = fakeManagers({ launchctl: [{ match: "print", code: 113 }] });
    const { stdout, code, home } = await runService(["install", "--platform", "darwin"], managers);
    expect(code).toBe(0);
    const plist = join(home, "Library/LaunchAgents/live.streamvc.macprovider.plist");
    expect(JSON.parse(stdout)).toMatchObject({ manager: "launchd", file: plist, log_dir: join(home, "Library/Logs/macprovider") });
    expect(readFileSync(plist, "utf8")).toContain(`<string>${join(home, ".config/macprovider/config.yaml")}</string>`);
    const uid = process.getuid!();
    expect(managers.calls()).toEqual([`launchctl print gui/${uid}/live.streamvc.macprovider`, `launchctl bootstrap gui/${uid} ${plist}`]);
  });

  test("service status prints the manager's answer, and exits 69 with one line when it cannot ask", async () => {
    const running = fakeManagers({ systemctl: [{ match: "show", stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=321\n" }] });
    const ok = await runService(["status", "--platform", "linux"], running);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ platform: "linux", manager: "systemd", file: join(ok.home, ".config/systemd/user/macprovider.service"), file_exists: false, loaded: true, running: true, pid: 321, state: "active (running)" });
    const noBus = await runService(["status", "--platform", "linux"], fakeManagers({ systemctl: [{ match: "show", code: 1 }] }));
    expect(noBus.code).toBe(69);
    expect(noBus.stderr).toContain("service status: cannot ask systemd: `systemctl --user show macprovider.service");
    expect(noBus.stderr).not.toContain("    at ");
  });

  test("service uninstall removes what install wrote, and is a no-op the second time", async () => {
    const managers = fakeManagers({ systemctl: [{ match: "show", stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=5\n" }] });
    const env = isolatedEnv();
    expect((await runService(["install", "--platform", "linux"], managers, env)).code).toBe(0);
    const first = await runService(["uninstall", "--platform", "linux"], managers, env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ removed: true });
    expect(existsSync(join(env.HOME!, ".config/systemd/user/macprovider.service"))).toBe(false);
    expect(managers.calls().slice(2)).toEqual([
      "systemctl --user show macprovider.service --property=LoadState,ActiveState,SubState,MainPID,UnitFileState",
      "systemctl --user disable --now macprovider.service",
      "systemctl --user daemon-reload",
    ]);
    const second = await runService(["uninstall", "--platform", "linux"], fakeManagers(), env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ removed: false });
  });

  test("service refuses an unknown platform as a usage error", async () => {
    const { code, stderr } = await runService(["status", "--platform", "win32"], fakeManagers());
    expect(code).toBe(64);
    expect(stderr).not.toContain("    at ");
  });
});
