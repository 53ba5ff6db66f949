/**
 * Deterministic tensor bytes for the synthetic fixtures: Q8_0 blocks of seeded-random int8 with a
 * fan-in scale, and F32 norm weights of 1.
 */
import { GGML_TYPE } from "./ggml-types.ts";
import type { GgufTensorLayout } from "./gguf-writer.ts";
import { createPrng } from "./prng.ts";

const Q8_BLOCK_BYTES = 34;
const CHUNK_BLOCKS = 1 << 15; // ~1.1 MB a chunk keeps memory flat for the 1B model
// Standard deviation of a uniform int8, so the scale brings weights to ~1/sqrt(fan_in).
const INT8_UNIFORM_STD = 73.9;

/** Yields the bytes of one tensor in order; `seed` makes every tensor's stream distinct and fixed. */
export function* fixtureTensorChunks(seed: string, tensor: GgufTensorLayout): Generator<Uint8Array> {
  if (tensor.type === GGML_TYPE.F32) {
    const ones = new Float32Array(tensor.byteSize / 4).fill(1);
    yield new Uint8Array(ones.buffer);
    return;
  }
  if (tensor.type !== GGML_TYPE.Q8_0) throw new Error(`fixture tensor "${tensor.name}": unsupported type ${tensor.type}`);

  const prng = createPrng(`${seed}/${tensor.name}`);
  const scaleBits = float16Bits(1 / Math.sqrt(tensor.dims[0]!) / INT8_UNIFORM_STD);
  const lo = scaleBits & 0xff;
  const hi = scaleBits >>> 8;
  let blocksLeft = tensor.byteSize / Q8_BLOCK_BYTES;
  while (blocksLeft > 0) {
    const blocks = Math.min(blocksLeft, CHUNK_BLOCKS);
    const chunk = new Uint8Array(blocks * Q8_BLOCK_BYTES);
    prng.fillBytes(chunk);
    for (let b = 0; b < chunk.length; b += Q8_BLOCK_BYTES) {
      chunk[b] = lo;
      chunk[b + 1] = hi;
    }
    blocksLeft -= blocks;
    yield chunk;
  }
}

/** IEEE 754 half-precision bits of a finite, normal-range number, rounded to nearest even. */
export function float16Bits(x: number): number {
  const f32 = new DataView(new ArrayBuffer(4));
  f32.setFloat32(0, x);
  const bits = f32.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  let mant = bits & 0x7fffff;
  if (exp <= 0 || exp >= 31) throw new Error(`float16Bits: ${x} is outside the normal half range`);
  // Round the 23-bit mantissa to 10 bits, ties to even.
  const rest = mant & 0x1fff;
  mant >>>= 13;
  if (rest > 0x1000 || (rest === 0x1000 && (mant & 1))) mant += 1;
  return (sign | (exp << 10)) + mant; // a mantissa carry rolls into the exponent, as it should
}
