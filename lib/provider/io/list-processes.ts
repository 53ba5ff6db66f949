/**
 * The process table (pid, parent, argv, cwd): read from /proc on Linux; on macOS from `ps` through
 * the command runner (argv split on spaces there, which is enough to recognise a command line).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { CommandRunner } from "../../host/io/command-runner.ts";
import type { ProcessInfo } from "../find-serve-processes.ts";

export async function listProcesses(runner: CommandRunner, platform: NodeJS.Platform = process.platform): Promise<ProcessInfo[]> {
  if (platform === "linux") return fromProc();
  const { code, stdout } = await runner.run(["ps", "-axo", "pid=,ppid=,command="]);
  if (code !== 0) return [];
  return stdout.split("\n").flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), argv: m[3]!.trim().split(/\s+/), cwd: null }] : [];
  });
}

function fromProc(): ProcessInfo[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").filter((a, i, all) => a !== "" || i < all.length - 1);
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1] ?? 0);
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`/proc/${d}/cwd`);
      } catch {
        // another user's process: its cwd is not ours to read
      }
      return argv.length === 0 ? [] : [{ pid: Number(d), ppid, argv, cwd }];
    } catch {
      return []; // the process ended while the table was read
    }
  });
}
