/**
 * Proves a config file serves (APL-3) the way `serve` would find out: serve's own config loader,
 * then its whole preflight plan — the model file checked, llama.cpp opened, the memory at the
 * context estimated. Serve's knob variables (MACPROVIDER_KV_BITS, …) are left out of the
 * environment, so it is the file that is proved, not the shell it was run from.
 */
import { SERVE_KNOBS } from "../../config/serve-knobs.ts";
import { prepareServe } from "../../serve/io/prepare-serve.ts";

export type CheckServesOptions = { env: Record<string, string | undefined>; cwd: string };

/** Resolves when serve would start on `file`; throws serve's one-line error otherwise. */
export async function checkConfigServes(file: string, options: CheckServesOptions): Promise<void> {
  await prepareServe({ cli: {}, configFile: file, env: withoutServeKnobs(options.env), cwd: options.cwd });
}

function withoutServeKnobs(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const knobEnv = new Set<string>([...SERVE_KNOBS.map((k) => k.env), "MACPROVIDER_CONFIG"]);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !knobEnv.has(name)));
}
