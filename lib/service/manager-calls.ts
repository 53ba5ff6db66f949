/**
 * The service-manager command lines (argv, run through the command runner): launchd's modern
 * `bootstrap`/`bootout`/`print` on a user's GUI domain, and `systemctl --user` on the unit. The
 * provider-conflict code (CON-2) drains and restores with the same calls.
 */
import { launchdDomain, launchdService, SYSTEMD_UNIT } from "./service-names.ts";

const systemctl = (...args: string[]) => ["systemctl", "--user", ...args];

export function managerCalls(uid: number, plistFile: string) {
  return {
    launchd: {
      /** Exit 0 and a description when loaded; 113 when launchd knows no such service. */
      query: ["launchctl", "print", launchdService(uid)],
      /** Loads the plist and, with RunAtLoad, starts the provider. */
      load: ["launchctl", "bootstrap", launchdDomain(uid), plistFile],
      /** Stops the provider and unloads it (until the next load or login). */
      unload: ["launchctl", "bootout", launchdService(uid)],
    },
    systemd: {
      /** Always exits 0 for a well-formed query; `LoadState=not-found` when there is no unit. */
      query: systemctl("show", SYSTEMD_UNIT, "--property=LoadState,ActiveState,SubState,MainPID,UnitFileState"),
      reload: systemctl("daemon-reload"),
      enableNow: systemctl("enable", "--now", SYSTEMD_UNIT),
      restart: systemctl("restart", SYSTEMD_UNIT),
      disableNow: systemctl("disable", "--now", SYSTEMD_UNIT),
      start: systemctl("start", SYSTEMD_UNIT),
      stop: systemctl("stop", SYSTEMD_UNIT),
    },
  } as const;
}
