/**
 * A seeded xoshiro128** generator on 32-bit integers only, so the same seed gives the same stream
 * on every machine and runtime (no floating point in the state update).
 */
export type Prng = {
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Fills `out` with pseudo-random bytes, four per step, little-endian. */
  fillBytes(out: Uint8Array): void;
};

/** FNV-1a over the UTF-8 bytes of `text`: turns a seed string into 32 bits. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Creates a generator from a string seed (e.g. `"fixture-v1/blk.0.attn_q.weight"`). */
export function createPrng(seed: string): Prng {
  // splitmix32 spreads the 32-bit hash over the 128-bit state, which must not be all zero.
  let x = hashSeed(seed);
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix(), s1 = splitmix(), s2 = splitmix(), s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const nextUint32 = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  const fillBytes = (out: Uint8Array) => {
    const whole = out.length & ~3;
    // Aligned views write 4 bytes per step; DataView keeps the byte order fixed (little-endian).
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < whole; i += 4) view.setUint32(i, nextUint32(), true);
    if (whole < out.length) {
      let last = nextUint32();
      for (let i = whole; i < out.length; i++, last >>>= 8) out[i] = last & 0xff;
    }
  };

  return { nextUint32, fillBytes };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
