/**
 * What the service manager says about the provider's service, from the output of its query
 * (`launchctl print gui/UID/LABEL`, `systemctl --user show macprovider.service --property=…`).
 */
import type { ServicePlatform } from "./service-names.ts";

export type ServiceStatus = {
  /** The manager has the service loaded (launchd: bootstrapped; systemd: a unit file it knows). */
  loaded: boolean;
  running: boolean;
  /** The provider's process id while running. */
  pid: number | null;
  /** The manager's own words: launchd's `state`, systemd's `ActiveState (SubState)`. */
  state: string;
};

/** launchctl's "Could not find service" exit status. */
const LAUNCHD_NOT_FOUND = 113;

/** The status, or null when the answer is not one (the manager failed or is absent). */
export function parseServiceStatus(platform: ServicePlatform, result: { code: number; stdout: string }): ServiceStatus | null {
  return platform === "darwin" ? parseLaunchctlPrint(result) : parseSystemctlShow(result);
}

function parseLaunchctlPrint(result: { code: number; stdout: string }): ServiceStatus | null {
  if (result.code === LAUNCHD_NOT_FOUND) return { loaded: false, running: false, pid: null, state: "not loaded" };
  if (result.code !== 0) return null;
  // The service's own keys come first, one level deep; nested dictionaries (endpoints, …) follow.
  const state = /^\s*state = (.+)$/m.exec(result.stdout)?.[1]?.trim() ?? "unknown";
  const pid = /^\s*pid = (\d+)$/m.exec(result.stdout)?.[1];
  return { loaded: true, running: state === "running", pid: pid === undefined ? null : Number(pid), state };
}

function parseSystemctlShow(result: { code: number; stdout: string }): ServiceStatus | null {
  if (result.code !== 0) return null;
  const props = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const load = props.get("LoadState");
  if (load === undefined) return null;
  if (load !== "loaded") return { loaded: false, running: false, pid: null, state: `not loaded (${load})` };
  const active = props.get("ActiveState") ?? "unknown";
  const sub = props.get("SubState") ?? "unknown";
  const pid = Number(props.get("MainPID") ?? "0");
  return { loaded: true, running: active === "active" && sub === "running", pid: pid > 0 ? pid : null, state: `${active} (${sub})` };
}
