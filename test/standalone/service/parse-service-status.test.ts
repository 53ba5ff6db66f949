import { describe, expect, test } from "bun:test";
import { parseServiceStatus } from "../../../lib/service/parse-service-status.ts";
import { parseServicePlatform, serviceFiles } from "../../../lib/service/service-names.ts";

const LAUNCHCTL_PRINT = `gui/501/live.streamvc.macprovider = {
\tactive count = 1
\tpath = /Users/ada/Library/LaunchAgents/live.streamvc.macprovider.plist
\ttype = LaunchAgent
\tstate = running

\tprogram = /usr/local/bin/macprovider
\targuments = {
\t\t/usr/local/bin/macprovider
\t\tserve
\t}
\tpid = 4242
\tlast exit code = (never exited)
\tendpoints = {
\t\tstate = active
\t}
}
`;

describe("parseServiceStatus()", () => {
  const cases: [string, "darwin" | "linux", { code: number; stdout: string }, unknown][] = [
    ["launchd running", "darwin", { code: 0, stdout: LAUNCHCTL_PRINT }, { loaded: true, running: true, pid: 4242, state: "running" }],
    ["launchd loaded, not running", "darwin", { code: 0, stdout: "gui/501/x = {\n\tstate = not running\n\tlast exit code = 78: EX_CONFIG\n}\n" }, { loaded: true, running: false, pid: null, state: "not running" }],
    ["launchd without the service (113)", "darwin", { code: 113, stdout: "" }, { loaded: false, running: false, pid: null, state: "not loaded" }],
    ["launchctl failing otherwise", "darwin", { code: 1, stdout: "" }, null],
    ["systemd running", "linux", { code: 0, stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=99\nUnitFileState=enabled\n" }, { loaded: true, running: true, pid: 99, state: "active (running)" }],
    ["systemd failed", "linux", { code: 0, stdout: "LoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\n" }, { loaded: true, running: false, pid: null, state: "failed (failed)" }],
    ["systemd without the unit", "linux", { code: 0, stdout: "LoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n" }, { loaded: false, running: false, pid: null, state: "not loaded (not-found)" }],
    ["systemctl without a bus", "linux", { code: 1, stdout: "" }, null],
    ["systemctl answering something else", "linux", { code: 0, stdout: "nonsense\n" }, null],
  ];
  test.each(cases)("parseServiceStatus() reads %s", (_, platform, result, status) => {
    expect(parseServiceStatus(platform, result)).toEqual(status as never);
  });
});

describe("service names", () => {
  test("serviceFiles() puts the plist in LaunchAgents with logs in Library/Logs, the unit in ~/.config/systemd/user", () => {
    expect(serviceFiles("darwin", "/Users/ada")).toEqual({ file: "/Users/ada/Library/LaunchAgents/live.streamvc.macprovider.plist", logDir: "/Users/ada/Library/Logs/macprovider" });
    expect(serviceFiles("linux", "/home/ada")).toEqual({ file: "/home/ada/.config/systemd/user/macprovider.service", logDir: null });
  });

  test("parseServicePlatform() takes darwin and linux and names any other value", () => {
    expect(parseServicePlatform("darwin")).toBe("darwin");
    expect(() => parseServicePlatform("win32")).toThrow('service: platform "win32" has no service manager here; allowed: darwin (launchd) or linux (systemd)');
  });
});
