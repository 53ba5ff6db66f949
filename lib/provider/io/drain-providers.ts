/**
 * CON-2: stops the providers found (launchd bootout, `systemctl --user stop`, SIGTERM to a foreground
 * one — SIGKILL only with `force`) and returns the restore, which runs at most once however the run
 * ends (a foreground provider is restarted only with `restartForeground`).
 */
import type { CommandRunner } from "../../host/io/command-runner.ts";
import { ProviderConflictError } from "../provider-conflict-error.ts";
import { describeProvider, shellQuote, type RunningProvider } from "../running-provider.ts";

export type DrainOptions = { runner: CommandRunner; uid: number; force: boolean; restartForeground: boolean; stopWaitMs: number; log(line: string): void };

export type Restore = () => Promise<void>;

export async function drainProviders(found: readonly RunningProvider[], o: DrainOptions): Promise<Restore> {
  const undo: (() => Promise<void>)[] = [];
  let restored: Promise<void> | null = null;
  const restore: Restore = () => (restored ??= (async () => {
    for (const step of undo.reverse()) await step().catch((error) => o.log(`restore failed: ${(error as Error).message}`));
  })());
  try {
    for (const p of found) undo.push(await drainOne(p, o));
  } catch (error) {
    await restore(); // what was already stopped comes back before the conflict is reported
    throw error;
  }
  return restore;
}

async function drainOne(p: RunningProvider, o: DrainOptions): Promise<() => Promise<void>> {
  o.log(`draining ${describeProvider(p)}`);
  const must = async (argv: string[]) => {
    const r = await o.runner.run(argv);
    if (r.code !== 0) throw new ProviderConflictError(`cannot drain ${describeProvider(p)}: \`${argv.join(" ")}\` exited ${r.code}: ${(r.stderr || r.stdout).trim().split("\n")[0]}`);
  };
  switch (p.kind) {
    case "launchd":
      await must(["launchctl", "bootout", `gui/${o.uid}/${p.label}`]);
      return () => must(["launchctl", "bootstrap", `gui/${o.uid}`, p.plist]).then(() => o.log(`restored ${describeProvider(p)}`));
    case "systemd":
      await must(["systemctl", "--user", "stop", p.unit]);
      return () => must(["systemctl", "--user", "start", p.unit]).then(() => o.log(`restored ${describeProvider(p)}`));
    case "foreground":
      await stopForeground(p, o);
      return async () => {
        if (!o.restartForeground) return o.log(`${describeProvider(p)} was stopped; start it again yourself (or pass --restart-foreground)`);
        const line = `${p.cwd ? `cd ${shellQuote(p.cwd)} && ` : ""}nohup ${p.argv.map(shellQuote).join(" ")} >/dev/null 2>&1 &`;
        await must(["sh", "-c", line]);
        o.log(`restarted ${describeProvider(p)}`);
      };
    case "port":
      throw new ProviderConflictError(`${describeProvider(p)} is not a provider autotune can drain; stop it first (its measurements would compete with ours)`);
  }
}

/** SIGTERM, then wait for it to be gone; SIGKILL after the wait only with `force`. */
async function stopForeground(p: Extract<RunningProvider, { kind: "foreground" }>, o: DrainOptions): Promise<void> {
  await o.runner.run(["kill", "-TERM", String(p.pid)]);
  const deadline = performance.now() + o.stopWaitMs;
  while (performance.now() < deadline) {
    if ((await o.runner.run(["kill", "-0", String(p.pid)])).code !== 0) return;
    await Bun.sleep(200);
  }
  if (!o.force) throw new ProviderConflictError(`${describeProvider(p)} did not stop within ${o.stopWaitMs} ms of SIGTERM; pass --force to kill it`);
  await o.runner.run(["kill", "-KILL", String(p.pid)]);
}
