/**
 * CON-1: which running processes are a foreground provider — `macprovider serve …` (matched on the
 * binary's basename and the `serve` word), or `bun …/scripts/serve.ts` / `bun …/scripts/cli.ts serve`
 * — never autotune itself, its ancestors, its own candidates (its descendants), or look-alikes such
 * as `macprovider-cli-helper serve` or `grep serve`.
 */
export type ProcessInfo = { pid: number; ppid: number; argv: string[]; cwd: string | null };

const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);

export function isServeCommand(argv: readonly string[]): boolean {
  return ourCommand(argv) === "serve";
}

/** The subcommand of one of our own command lines (`macprovider X`, `bun …/scripts/X.ts`, `bun …/scripts/cli.ts X`); null otherwise. */
function ourCommand(argv: readonly string[]): string | null {
  const [exe = "", first = "", second = ""] = argv;
  if (basename(exe) === "macprovider") return first || null;
  const inScripts = basename(first.slice(0, Math.max(0, first.lastIndexOf("/")))) === "scripts" || first.startsWith("scripts/");
  if (!/^bun(-debug)?(\.exe)?$/.test(basename(exe)) || !inScripts) return null;
  if (basename(first) === "cli.ts") return second || null;
  return basename(first).replace(/\.ts$/, "");
}

const TUNER_COMMANDS = new Set(["autotune", "stage1", "stage2", "bench"]);

/**
 * The foreign serve processes in `table`. `self` is this process; its ancestors and descendants are
 * excluded. With `root`, only descendants of that pid count (a container, or a test's sandbox).
 */
export function findServeProcesses(table: readonly ProcessInfo[], self: number, root: number | null = null): ProcessInfo[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const ancestorsOf = (pid: number) => {
    const out = new Set<number>();
    for (let p = byPid.get(pid); p && !out.has(p.ppid); p = byPid.get(p.ppid)) out.add(p.ppid);
    return out;
  };
  const mine = ancestorsOf(self);
  mine.add(self);
  return table.filter((p) => {
    if (!isServeCommand(p.argv) || mine.has(p.pid)) return false;
    const lineage = ancestorsOf(p.pid);
    if (lineage.has(self)) return false; // a candidate this run started
    // A candidate of another autotune run: not a provider anyone serves from.
    if ([...lineage].some((pid) => TUNER_COMMANDS.has(ourCommand(byPid.get(pid)?.argv ?? []) ?? ""))) return false;
    return root === null || lineage.has(root);
  });
}
