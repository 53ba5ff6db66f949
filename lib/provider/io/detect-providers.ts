/**
 * CON-1: finds what serves on this machine — the launchd service (macOS), the systemd user unit
 * (Linux), foreground `macprovider serve` processes, or, failing those, anything on the provider's
 * port. Every manager call goes through the command runner.
 */
import { connect } from "node:net";
import type { CommandRunner } from "../../host/io/command-runner.ts";
import { findServeProcesses } from "../find-serve-processes.ts";
import { LAUNCHD_LABEL, SYSTEMD_UNIT, type RunningProvider } from "../running-provider.ts";
import { listProcesses } from "./list-processes.ts";

export type DetectOptions = {
  runner: CommandRunner;
  platform: NodeJS.Platform;
  uid: number;
  home: string;
  self: number;
  /** Only processes below this pid count (`MACPROVIDER_PROCESS_ROOT`: containers, tests). */
  root: number | null;
  host: string;
  port: number;
};

export async function detectProviders(o: DetectOptions): Promise<RunningProvider[]> {
  const found: RunningProvider[] = [];
  if (o.platform === "darwin" && (await o.runner.run(["launchctl", "print", `gui/${o.uid}/${LAUNCHD_LABEL}`])).code === 0) {
    found.push({ kind: "launchd", label: LAUNCHD_LABEL, plist: `${o.home}/Library/LaunchAgents/${LAUNCHD_LABEL}.plist` });
  }
  if (o.platform === "linux" && (await o.runner.run(["systemctl", "--user", "is-active", SYSTEMD_UNIT])).stdout.trim() === "active") {
    found.push({ kind: "systemd", unit: SYSTEMD_UNIT });
  }
  for (const p of findServeProcesses(await listProcesses(o.runner, o.platform), o.self, o.root)) {
    found.push({ kind: "foreground", pid: p.pid, argv: p.argv, cwd: p.cwd });
  }
  if (found.length === 0 && (await portInUse(o.host, o.port))) found.push({ kind: "port", host: o.host, port: o.port });
  return found;
}

function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host === "0.0.0.0" ? "127.0.0.1" : host, port, timeout: 1000 });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.once("connect", () => done(true)).once("error", () => done(false)).once("timeout", () => done(false));
  });
}
