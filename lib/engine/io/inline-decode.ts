/**
 * Puts a context of the patched local build on InlineDecodePolicy: the StepLoop and node-llama-cpp
 * call its private addon context's `initBatch(size)` then `decodeBatch()` for every batch, and
 * `sampleToken(index, sampler[, probabilities, confidence])` for every token (3.21.1); the wrappers
 * below pass `decodeBatch(true)` for the steps the policy sends inline, and sample inline while it
 * does (as llama-server samples right after its step).
 */
import type { LlamaContext } from "node-llama-cpp";
import { InlineDecodePolicy } from "../inline-decode-policy.ts";

type AddonContext = {
  initBatch(size: number): void;
  decodeBatch(inline?: boolean): Promise<void>;
  sampleToken(index: number, sampler: unknown, probabilities?: boolean, confidence?: boolean, inline?: boolean): Promise<unknown>;
};

export function installInlineDecode(context: LlamaContext, capMs: number): void {
  if (capMs <= 0) return;
  const addon = (context as unknown as { _ctx: AddonContext })._ctx;
  const initBatch = addon.initBatch.bind(addon);
  const decodeBatch = addon.decodeBatch.bind(addon);
  const sampleToken = addon.sampleToken.bind(addon);
  const policy = new InlineDecodePolicy(capMs);
  const sequences = context.totalSequences;
  let size = 0;
  // napi methods are read-only on the prototype, so the wrappers are own properties of the instance
  // (a Proxy would not do: node-llama-cpp hands `_ctx` itself to other native calls).
  ownMethod(addon, "initBatch", (n: number) => {
    size = n;
    initBatch(n);
  });
  ownMethod(addon, "decodeBatch", async () => {
    const tokens = size;
    const step = InlineDecodePolicy.isStep(tokens, sequences);
    const inline = step ? policy.wantsInline() : policy.wantsInlinePrompt(tokens);
    if (inline) await afterPoll();
    const started = performance.now();
    try {
      await decodeBatch(inline);
    } finally {
      const ms = performance.now() - started;
      if (step) policy.record(ms);
      else policy.recordPrompt(ms, tokens);
    }
  });
  ownMethod(addon, "sampleToken", (index: number, sampler: unknown, probabilities?: boolean, confidence?: boolean) =>
    policy.wantsInline() ? sampleToken(index, sampler, probabilities, confidence, true) : sampleToken(index, sampler, probabilities, confidence));
}

/**
 * Resolves once the event loop has polled. Bun sends socket writes made outside its I/O callbacks
 * (every SSE event) when it next polls; a chain of inline steps never lets it poll, since the
 * sampling job of each token has finished before the loop looks again (measured: events in bursts
 * of ~8 every ~60 ms, twice the TTFT). Bun runs immediates before it polls, so one immediate is not
 * enough (the first event then waited for the first step: +10 ms TTFT at 1 thread); the second runs
 * after the poll.
 */
function afterPoll(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function ownMethod<T extends object, K extends keyof T>(target: T, name: K, fn: T[K]): void {
  Object.defineProperty(target, name, { value: fn, writable: true, configurable: true });
}
