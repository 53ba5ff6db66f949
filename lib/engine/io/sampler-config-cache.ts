/**
 * node-llama-cpp resolves a sequence's sampler config afresh for every token
 * (`LlamaContextSequence._resolveSamplerConfig`: a new object through `removeNullFields`, about 15 %
 * of serve's main-thread profile) although one generation's sampling options never change. This
 * keeps the last resolved config per sequence and returns it again while the options are the same.
 * Options whose resolved config changes from token to token (repeat penalties, a token-bias or
 * grammar-state function, no seed: node-llama-cpp then seeds from the clock) always resolve afresh;
 * a TokenBias object is one generation's, compared by identity like the grammar state.
 * A private method of node-llama-cpp 3.21.1 (pinned exactly); without it nothing is installed.
 */
import { LlamaContextSequence } from "./node-llama-cpp.ts";

type SamplerOptions = {
  temperature?: number; minP?: number; topK?: number; topP?: number; seed?: number;
  xtc?: unknown; grammarEvaluationState?: unknown; repeatPenalty?: unknown; dryRepeatPenalty?: unknown; tokenBias?: unknown;
};
type Resolve = (this: object, options: SamplerOptions) => object;

const KEYS = ["temperature", "minP", "topK", "topP", "seed", "xtc", "grammarEvaluationState", "tokenBias"] as const;
const last = new WeakMap<object, { options: SamplerOptions; config: object }>();

/** Whether two option sets resolve to the same config (same values; the grammar state and token bias by identity). */
export function sameSamplerOptions(a: SamplerOptions, b: SamplerOptions): boolean {
  return KEYS.every((k) => a[k] === b[k]);
}

/** Options whose resolved config can be reused: nothing in them changes per token. */
export function cacheableSamplerOptions(o: SamplerOptions): boolean {
  return o.repeatPenalty == null && o.dryRepeatPenalty == null && typeof o.tokenBias !== "function" && typeof o.grammarEvaluationState !== "function" && Number.isFinite(o.seed) && o.xtc == null;
}

let original: Resolve | null = null;

/** node-llama-cpp's own resolution, bypassing the cache (what the cache must agree with). */
export function freshSamplerConfig(sequence: object, options: SamplerOptions): object {
  if (!original) throw new Error("freshSamplerConfig: the sampler config cache is not installed");
  return original.call(sequence, options);
}

/** Installs the cache once per process; returns whether it is in place. */
export function installSamplerConfigCache(): boolean {
  if (original) return true;
  const proto = LlamaContextSequence.prototype as unknown as { _resolveSamplerConfig?: Resolve };
  const resolve = proto._resolveSamplerConfig;
  if (typeof resolve !== "function") return false;
  original = resolve;
  proto._resolveSamplerConfig = function (this: object, options: SamplerOptions) {
    if (!cacheableSamplerOptions(options)) return resolve.call(this, options);
    const hit = last.get(this);
    if (hit && sameSamplerOptions(hit.options, options)) return hit.config;
    const config = resolve.call(this, options);
    last.set(this, { options: { ...options }, config });
    return config;
  };
  return true;
}
