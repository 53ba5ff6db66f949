/**
 * The sampler seed of a request. node-llama-cpp seeds a sampler given no seed from the clock in
 * whole seconds (requests in the same second sample the same text) and clamps negative seeds to 0.
 * So a request without a seed, or with llama-server's -1 ("random"), gets its own random seed; any
 * other seed is taken as its unsigned 32-bit value, as llama-server reads it, and stays reproducible.
 */
export function samplingSeed(seed: number | undefined, random32: () => number): number {
  if (seed === undefined || seed === -1) return random32();
  return ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
}
