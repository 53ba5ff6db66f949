/** Helpers shared by the benchmarks. */
import { join } from "node:path";

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Starts scripts/serve.ts on a free loopback port and waits until it is ready. */
export async function startServeProcess(modelPath: string, args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../scripts/serve.ts"), "--model", modelPath, "--port", "0", ...args], {
    stdout: "pipe", stderr: "ignore", stdin: "ignore",
  });
  let buffered = "";
  for await (const chunk of proc.stdout) {
    buffered += new TextDecoder().decode(chunk);
    const ready = buffered.split("\n").slice(0, -1).map((l) => JSON.parse(l)).find((e) => e.event === "ready");
    if (ready) {
      return { url: ready.url, async stop() { proc.kill("SIGTERM"); await proc.exited; } };
    }
  }
  throw new Error(`serve exited with ${await proc.exited} before it was ready`);
}

/** Exactly `n` prompt tokens (BOS + text tokens), the same for every tool that takes text. */
export function benchPromptTokens(model: { tokenize(text: string): number[]; tokens: { bos: number | null } }, n: number): any[] {
  const text = "Once upon a time there was a local provider that served the world with tokens. ";
  const tokens: number[] = [];
  while (tokens.length < n - 1) tokens.push(...model.tokenize(text));
  return [model.tokens.bos!, ...tokens.slice(0, n - 1)];
}
