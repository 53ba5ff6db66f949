/**
 * Where the provider's service lives on each platform (SVC-1): the launchd label kept from the
 * existing deployment, the systemd user unit, and the files each manager reads.
 */
import { join } from "node:path";

export type ServicePlatform = "darwin" | "linux";

export const SERVICE_PLATFORMS: readonly ServicePlatform[] = ["darwin", "linux"];

/** The launchd label (compatible with the existing deployment). */
export const LAUNCHD_LABEL = "live.streamvc.macprovider";

/** The systemd user unit's name. */
export const SYSTEMD_UNIT = "macprovider.service";

export type ServiceFiles = {
  /** The plist (`~/Library/LaunchAgents/<label>.plist`) or the unit (`~/.config/systemd/user/macprovider.service`). */
  file: string;
  /** launchd only: where StandardOutPath/StandardErrorPath point (`~/Library/Logs/macprovider`); systemd logs to the journal. */
  logDir: string | null;
};

export function serviceFiles(platform: ServicePlatform, home: string): ServiceFiles {
  if (platform === "darwin") {
    return { file: join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`), logDir: join(home, "Library", "Logs", "macprovider") };
  }
  return { file: join(home, ".config", "systemd", "user", SYSTEMD_UNIT), logDir: null };
}

/** launchd's domain target for a user's GUI session: `gui/501`. */
export function launchdDomain(uid: number): string {
  return `gui/${uid}`;
}

/** launchd's service target: `gui/501/live.streamvc.macprovider`. */
export function launchdService(uid: number): string {
  return `${launchdDomain(uid)}/${LAUNCHD_LABEL}`;
}

/** `--platform`'s value, or this machine's; anything else is a one-line error naming the value. */
export function parseServicePlatform(raw: string): ServicePlatform {
  if ((SERVICE_PLATFORMS as readonly string[]).includes(raw)) return raw as ServicePlatform;
  throw new Error(`service: platform ${JSON.stringify(raw)} has no service manager here; allowed: darwin (launchd) or linux (systemd)`);
}
