/**
 * Fake `launchctl` and `systemctl` executables for subprocess tests: put `binDir` first on PATH
 * and the real command runner finds these instead of the host's managers. Each call is logged as
 * one line (`systemctl --user show …`) to `log`; `answers` maps an argument substring to a reply.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../helpers/fixtures.ts";

export type FakeAnswer = { match: string; code?: number; stdout?: string };

export type FakeManagers = { binDir: string; log: string; calls(): string[]; env(base: Record<string, string>): Record<string, string> };

export function fakeManagers(answers: { launchctl?: FakeAnswer[]; systemctl?: FakeAnswer[] } = {}): FakeManagers {
  const binDir = tempDir("macprovider-fake-managers-");
  const log = join(binDir, "calls.log");
  for (const name of ["launchctl", "systemctl"] as const) {
    const cases = (answers[name] ?? []).map((a) => `  *${shq(a.match)}*) printf '%s' ${shq(a.stdout ?? "")}; exit ${a.code ?? 0} ;;`);
    const script = ["#!/bin/sh", `echo "${name} $*" >> ${shq(log)}`, 'case "$*" in', ...cases, "esac", "exit 0", ""].join("\n");
    writeFileSync(join(binDir, name), script);
    chmodSync(join(binDir, name), 0o755);
  }
  return {
    binDir,
    log,
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
    env: (base) => ({ ...base, PATH: `${binDir}:${base.PATH ?? process.env.PATH ?? "/usr/bin:/bin"}` }),
  };
}

function shq(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
