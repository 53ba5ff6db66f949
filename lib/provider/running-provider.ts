/** A provider found serving on this machine (CON-1), and how it is described in one line. */
export type RunningProvider =
  | { kind: "launchd"; label: string; plist: string }
  | { kind: "systemd"; unit: string }
  | { kind: "foreground"; pid: number; argv: string[]; cwd: string | null }
  | { kind: "port"; host: string; port: number };

export const LAUNCHD_LABEL = "live.streamvc.macprovider";
export const SYSTEMD_UNIT = "macprovider.service";

export function describeProvider(p: RunningProvider): string {
  switch (p.kind) {
    case "launchd": return `the launchd service ${p.label}`;
    case "systemd": return `the systemd user unit ${p.unit}`;
    case "foreground": return `the foreground provider pid ${p.pid} (${p.argv.join(" ")})`;
    case "port": return `something listening on ${p.host}:${p.port}`;
  }
}

/** A POSIX shell word: the command line of a foreground provider restarted through `sh -c`. */
export function shellQuote(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
