/**
 * Runs one autotune stage as a child process (PIPE-1): the previous document on its stdin, its own
 * document read from its stdout, its logs passed through to our stderr. A signal to autotune is
 * forwarded, so the stage records the run as interrupted and stops its candidate provider itself.
 */
import { InterruptedError } from "../../cli/io/interrupt-on-signals.ts";
import { selfCommand } from "../../cli/io/self-command.ts";
import type { StageName } from "../stage-argv.ts";

export type StageResult = { code: number; doc: Record<string, unknown> | null };

export async function runStageProcess(stage: StageName, argv: string[], input: unknown, signal: AbortSignal): Promise<StageResult> {
  const proc = Bun.spawn([...selfCommand(stage), ...argv], {
    stdin: input === null ? "ignore" : new TextEncoder().encode(JSON.stringify(input)),
    stdout: "pipe",
    stderr: "inherit",
  });
  const forward = () => proc.kill(signal.reason instanceof InterruptedError ? signal.reason.signal : "SIGTERM");
  signal.addEventListener("abort", forward, { once: true });
  try {
    const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    return { code, doc: parseDoc(text) };
  } finally {
    signal.removeEventListener("abort", forward);
  }
}

function parseDoc(text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(text);
    return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null; // the stage failed before it printed a document (a usage error, a crash)
  }
}
