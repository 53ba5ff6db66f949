/** Runs `scripts/serve.ts` as a real subprocess on 127.0.0.1, isolated from the real home folder. */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { REPO_ROOT, tempDir } from "./fixtures.ts";

export type ServeProcess = {
  url: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  stderr: () => string;
  stop(): Promise<number>;
};

/** An env with HOME and XDG folders in a temp dir, so no real config is read. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = tempDir("macprovider-home-");
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !k.startsWith("MACPROVIDER_") && v !== undefined)) as Record<string, string>;
  return { ...base, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local/share"), XDG_CACHE_HOME: join(home, ".cache"), ...extra };
}

export function spawnServe(args: string[], env: Record<string, string> = isolatedEnv()) {
  return Bun.spawn(["bun", join(REPO_ROOT, "scripts/serve.ts"), ...args], { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
}

/** Starts serve and waits for its `ready` event (or its exit, which fails the start). */
export async function startServe(args: string[], env?: Record<string, string>): Promise<ServeProcess> {
  const proc = spawnServe(["--port", "0", ...args], env);
  let err = "";
  void (async () => {
    for await (const chunk of proc.stderr) err += new TextDecoder().decode(chunk);
  })();
  const reader = proc.stdout.getReader();
  let buffered = "";
  let url = "";
  const deadline = Date.now() + 60_000;
  while (!url) {
    const { value, done } = await reader.read();
    if (done || Date.now() > deadline) throw new Error(`serve did not become ready (exit ${await proc.exited}): ${err}`);
    buffered += new TextDecoder().decode(value);
    for (const line of buffered.split("\n").slice(0, -1)) {
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event === "ready") url = event.url;
    }
    buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
  }
  reader.releaseLock();
  return {
    url,
    proc,
    stderr: () => err,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

/** Reads an SSE response into its `data:` payloads. */
export async function readSse(response: Response): Promise<string[]> {
  const text = await response.text();
  return text.split("\n\n").filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
}
