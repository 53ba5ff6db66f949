/**
 * A candidate provider for a measurement: `serve --no-join` as a real subprocess on a free loopback
 * port with exactly the knobs given (the operator's config file and MACPROVIDER_* variables removed,
 * so they cannot change what is measured), and a stop that never leaves it running.
 */
import { SERVE_KNOBS } from "../../config/serve-knobs.ts";
import { startServeProcess, type ServeProcess } from "../../serve/io/start-serve-process.ts";

/** How long serve gets to exit after SIGTERM before it is killed. */
const STOP_LIMIT_MS = 15_000;

export type CandidateServeOptions = { env?: Record<string, string | undefined>; loadTimeoutMs: number };

export function startCandidateServe(modelPath: string, knobArgs: string[], options: CandidateServeOptions): Promise<ServeProcess> {
  const args = ["--model", modelPath, "--no-join", "--host", "127.0.0.1", ...knobArgs, "--config", "/dev/null", "--grace-ms", "2000"];
  return startServeProcess(args, { env: withoutKnobVars(options.env ?? process.env), timeoutMs: options.loadTimeoutMs });
}

export async function stopCandidateServe(serve: ServeProcess): Promise<void> {
  const killer = setTimeout(() => serve.proc.kill("SIGKILL"), STOP_LIMIT_MS);
  try {
    await serve.stop();
  } finally {
    clearTimeout(killer);
  }
}

function withoutKnobVars(base: Record<string, string | undefined>): Record<string, string | undefined> {
  const knobVars = new Set([...SERVE_KNOBS.map((k) => k.env), "MACPROVIDER_CONFIG"]);
  return Object.fromEntries(Object.entries(base).filter(([k]) => !knobVars.has(k)));
}
