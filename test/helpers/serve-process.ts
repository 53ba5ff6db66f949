/** Runs `scripts/serve.ts` as a real subprocess on 127.0.0.1, isolated from the real home folder. */
import { join } from "node:path";
import { spawnServeProcess, startServeProcess } from "../../lib/serve/io/start-serve-process.ts";
import { sseDataPayloads } from "../../lib/probe/frame-splitter.ts";
import { tempDir } from "./fixtures.ts";

export type { ServeProcess } from "../../lib/serve/io/start-serve-process.ts";

/** An env with HOME and XDG folders in a temp dir, so no real config is read, and process detection kept to this test run. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = tempDir("macprovider-home-");
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !k.startsWith("MACPROVIDER_") && v !== undefined)) as Record<string, string>;
  // An autotune started from a test only ever sees (and drains) this test run's own processes.
  return { ...base, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local/share"), XDG_CACHE_HOME: join(home, ".cache"), MACPROVIDER_PROCESS_ROOT: String(process.pid), ...extra };
}

export function spawnServe(args: string[], env: Record<string, string> = isolatedEnv()) {
  return spawnServeProcess(args, env);
}

/** Starts serve (isolated from the real home folder unless `env` says otherwise) and waits until ready. */
export function startServe(args: string[], env: Record<string, string> = isolatedEnv()) {
  return startServeProcess(args, { env });
}

/** Reads an SSE response into its `data:` payloads. */
export async function readSse(response: Response): Promise<string[]> {
  return sseDataPayloads(await response.text());
}
