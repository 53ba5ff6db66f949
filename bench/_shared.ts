/** Helpers shared by the benchmarks. */
import { readGgufHeaderFile } from "../lib/gguf/io/read-gguf-header-file.ts";
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

/**
 * A logit_bias banning the byte tokens ≥ 0x80, sent to every tool alike: llama-server answers
 * output that is not valid UTF-8 with a 500 (the fixtures' random weights write such bytes), and
 * with the same bias every tool generates the same tokens (serve honours logit_bias too).
 */
export function highByteBans(modelPath: string): [number, false][] {
  const vocab = (readGgufHeaderFile(modelPath).metadata.get("tokenizer.ggml.tokens") ?? []) as string[];
  return vocab.flatMap((t, id) => (/^<0x[89A-F][0-9A-F]>$/.test(t) ? [[id, false] as [number, false]] : []));
}

/**
 * Headers for every benchmark request: one connection per request. fetch reusing a socket that
 * llama-server had closed after a stream failed one llama-server round in three with ECONNRESET.
 */
export const ONE_CONNECTION = { connection: "close" } as const;
