/**
 * How to restart the provider so it reads the new config (APL-4), fitting how it runs: the launchd
 * agent, the systemd user unit, or a foreground `macprovider serve`.
 */
import { launchdDomain, launchdService, serviceFiles, SYSTEMD_UNIT } from "../service/service-names.ts";

export type ProviderManager = "launchd" | "systemd" | "foreground";

export type RestartHintInputs = {
  manager: ProviderManager;
  uid: number;
  home: string;
  /** The config file written. */
  configFile: string;
  /** The file serve reads when given no --config (then the foreground command needs none). */
  defaultConfigFile: string;
};

export function restartHint(i: RestartHintInputs): string {
  switch (i.manager) {
    case "launchd": {
      const plist = serviceFiles("darwin", i.home).file;
      return `restart the launchd agent: launchctl bootout ${launchdService(i.uid)}; launchctl bootstrap ${launchdDomain(i.uid)} ${shellQuote(plist)}`;
    }
    case "systemd":
      return `restart the systemd user unit: systemctl --user restart ${SYSTEMD_UNIT}`;
    case "foreground": {
      const config = i.configFile === i.defaultConfigFile ? "" : ` --config ${shellQuote(i.configFile)}`;
      return `stop the running \`macprovider serve\` (Ctrl-C) and start it again: macprovider serve${config}`;
    }
  }
}

/** A word for a POSIX shell: as it is when plain, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
