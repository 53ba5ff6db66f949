/**
 * Starts `serve` as a child process on a free loopback port and waits for its `ready` event,
 * failing fast (with its log) when it exits while starting. Used by the demo, the benchmarks, the
 * tests and, later, autotune's probes.
 */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { isCompiledBinary, selfCommand } from "../../cli/io/self-command.ts";
import { FrameSplitter } from "../../probe/frame-splitter.ts";

export type ServeProcess = {
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything serve wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
};

export type StartServeOptions = { env?: Record<string, string | undefined>; timeoutMs?: number };

const SERVE_SCRIPT = join(import.meta.dir, "../../../scripts/serve.ts");

export function spawnServeProcess(args: string[], env?: Record<string, string | undefined>): Subprocess<"ignore", "pipe", "pipe"> {
  // The compiled binary runs its own `serve` subcommand; under Bun, the script itself.
  const command = isCompiledBinary() ? selfCommand("serve") : [process.execPath, SERVE_SCRIPT];
  return Bun.spawn([...command, ...args], { env: env ?? process.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
}

/** `args` are serve's; `--port 0` is added so the OS picks a free port. */
export async function startServeProcess(args: string[], options: StartServeOptions = {}): Promise<ServeProcess> {
  const proc = spawnServeProcess(["--port", "0", ...args], options.env);
  let err = "";
  void (async () => {
    for await (const chunk of proc.stderr) err += new TextDecoder().decode(chunk);
  })();
  const timeoutMs = options.timeoutMs ?? 120_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, timeoutMs);
  try {
    const url = await readyUrl(proc.stdout);
    if (url === null) {
      const code = await proc.exited;
      throw new Error(timedOut ? `serve was not ready within ${timeoutMs} ms` : `serve exited (code ${code}) before it was ready: ${err.trim().split("\n").at(-1) ?? ""}`);
    }
    return {
      url,
      proc,
      stderr: () => err,
      async stop() {
        proc.kill("SIGTERM");
        return proc.exited;
      },
    };
  } catch (error) {
    // Never leave a half-started provider holding its port.
    proc.kill("SIGKILL");
    await proc.exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function parseEvent(line: string): { event?: unknown; url?: unknown } | null {
  try {
    return JSON.parse(line);
  } catch {
    return null; // not one of serve's events (stray output): skip it
  }
}

/** Reads serve's JSON-lines stdout up to the `ready` event; null when the stream ends first. */
async function readyUrl(stdout: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stdout.getReader();
  const lines = new FrameSplitter("\n");
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      for (const line of lines.push(value)) {
        const event = parseEvent(line);
        if (event?.event === "ready" && typeof event.url === "string") return event.url;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
