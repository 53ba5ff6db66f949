/**
 * The one way this project runs a host command it does not own: every service-manager call
 * (launchctl, systemctl) and every signal to a foreign process (`kill -TERM PID`) goes through a
 * `CommandRunner`, so tests pass a recording fake and never touch the host's real services.
 */

export type CommandResult = {
  /** The exit status, as a shell reports it: 127 no such program, 126 not executable, 124 past the timeout, 128 + N killed by signal N. */
  code: number;
  stdout: string;
  stderr: string;
};

export type CommandRunner = {
  /** Runs `argv` (argv[0] is looked up on PATH) to completion. Never throws for a failing command. */
  run(argv: readonly string[]): Promise<CommandResult>;
};

export type CommandRunnerOptions = {
  /** The environment of every command. Defaults to this process's. */
  env?: Record<string, string | undefined>;
  /** How long a command may run before it is killed (exit 124). Defaults to 30000 ms. */
  timeoutMs?: number;
};

/** The real runner over `Bun.spawn`; stdin is closed, stdout and stderr are collected as text. */
export function createCommandRunner(options: CommandRunnerOptions = {}): CommandRunner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async run(argv) {
      if (argv.length === 0) throw new Error("command runner: an empty command line");
      let proc;
      try {
        proc = Bun.spawn([...argv], { env: options.env ?? process.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return { code: 127, stdout: "", stderr: `${argv[0]}: command not found` };
        if (code === "EACCES") return { code: 126, stdout: "", stderr: `${argv[0]}: permission denied` };
        throw error;
      }
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        proc.kill("SIGKILL");
      }, timeoutMs);
      try {
        // A command killed by a signal exits 128 + its number, as a shell reports it.
        const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        if (timedOut) return { code: 124, stdout, stderr: `${stderr}${argv[0]}: timed out after ${timeoutMs} ms\n` };
        return { code, stdout, stderr };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** "systemctl --user show … exited 1: Failed to connect to bus" — for one-line errors. */
export function describeCommandFailure(argv: readonly string[], result: CommandResult): string {
  const detail = (result.stderr.trim() || result.stdout.trim()).split("\n")[0] ?? "";
  return `\`${argv.join(" ")}\` exited ${result.code}${detail ? `: ${detail}` : ""}`;
}
