/** Helpers shared by the benchmarks. */
import { startServeProcess } from "../lib/serve/io/start-serve-process.ts";

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Starts serve on `modelPath` on a free loopback port and waits until it is ready. */
export function startServeOn(modelPath: string, args: string[], env?: Record<string, string | undefined>) {
  return startServeProcess(["--model", modelPath, ...args], { env });
}

/** Exactly `n` prompt tokens (BOS + text tokens), the same for every tool that takes text. */
export function benchPromptTokens(model: { tokenize(text: string): number[]; tokens: { bos: number | null } }, n: number): any[] {
  const text = "Once upon a time there was a local provider that served the world with tokens. ";
  const tokens: number[] = [];
  while (tokens.length < n - 1) tokens.push(...model.tokenize(text));
  return [model.tokens.bos!, ...tokens.slice(0, n - 1)];
}
