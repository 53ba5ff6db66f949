/**
 * The backup of a config file (APL-3): `config.yaml.bak-<UTC timestamp>-<n>`, the timestamp
 * `YYYYMMDDTHHMMSSZ` (sortable, no colons), n from 1 up; the caller tries n + 1 when a name is taken.
 */
export function backupName(configFile: string, now: Date, n: number): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replaceAll("-", "").replaceAll(":", "");
  return `${configFile}.bak-${stamp}-${n}`;
}
