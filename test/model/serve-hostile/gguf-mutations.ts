/**
 * Seeded corruptions of a GGUF file for the fuzz test: random bytes in the fixed header, in a
 * metadata key, in a metadata value, in a tensor info, or a truncation. The regions come from
 * walking the real file, so every mutation lands where it says it does.
 */
import { createPrng, type Prng } from "../../../lib/fixtures/prng.ts";

export type MutationKind = "header" | "key" | "value" | "tensor_info" | "truncate";

export type Mutation = { kind: MutationKind; where: string; bytes: Uint8Array };

type Region = { start: number; end: number; label: string };

export type GgufRegions = { header: Region; keys: Region[]; values: Region[]; tensorInfos: Region[]; dataOffset: number };

/** Byte ranges of a well-formed GGUF v3 file's parts (throws on a file it cannot walk). */
export function ggufRegions(bytes: Uint8Array): GgufRegions {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => { const v = view.getUint32(at, true); at += 4; return v; };
  const u64 = () => { const v = Number(view.getBigUint64(at, true)); at += 8; return v; };
  const str = () => { const n = u64(); const s = new TextDecoder().decode(bytes.subarray(at, at + n)); at += n; return s; };
  const SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  const skipValue = (type: number): void => {
    if (type === 8) {
      const n = u64(); // read before adding: `at += u64()` would use the old position
      at += n;
      return;
    }
    if (type === 9) {
      const item = u32();
      const n = u64();
      for (let i = 0; i < n; i++) skipValue(item);
      return;
    }
    at += SIZES[type]!;
  };
  at = 8;
  const tensorCount = u64();
  const kvCount = u64();
  const header = { start: 0, end: at, label: "header" };
  const keys: Region[] = [];
  const values: Region[] = [];
  let alignment = 32;
  for (let i = 0; i < kvCount; i++) {
    const keyStart = at;
    const key = str();
    keys.push({ start: keyStart, end: at, label: `key "${key}"` });
    const valueStart = at;
    const type = u32();
    if (key === "general.alignment") alignment = view.getUint32(at, true);
    skipValue(type);
    values.push({ start: valueStart, end: at, label: `value of "${key}"` });
  }
  const tensorInfos: Region[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const start = at;
    const name = str();
    const dims = u32();
    at += dims * 8 + 4 + 8;
    tensorInfos.push({ start, end: at, label: `tensor info "${name}"` });
  }
  return { header, keys, values, tensorInfos, dataOffset: Math.ceil(at / alignment) * alignment };
}

const pick = <T>(prng: Prng, items: readonly T[]): T => items[prng.nextUint32() % items.length]!;

/** Overwrites 1–3 random bytes inside one region (each with a value different from the old one). */
function scribble(prng: Prng, bytes: Uint8Array, region: Region): Mutation["where"] {
  const count = 1 + (prng.nextUint32() % 3);
  const at: number[] = [];
  for (let i = 0; i < count; i++) {
    const pos = region.start + (prng.nextUint32() % (region.end - region.start));
    bytes[pos] = (bytes[pos]! + 1 + (prng.nextUint32() % 255)) & 0xff;
    at.push(pos);
  }
  return `${region.label} bytes ${at.join(",")}`;
}

/** One seeded mutation of `source`: case `n` of the seed `seed` is always the same bytes. */
export function mutateGguf(source: Uint8Array, regions: GgufRegions, seed: string, n: number, kind: MutationKind): Mutation {
  const prng = createPrng(`${seed}/${n}/${kind}`);
  const bytes = new Uint8Array(source);
  switch (kind) {
    case "header": return { kind, where: scribble(prng, bytes, regions.header), bytes };
    case "key": return { kind, where: scribble(prng, bytes, pick(prng, regions.keys)), bytes };
    case "value": return { kind, where: scribble(prng, bytes, pick(prng, regions.values)), bytes };
    case "tensor_info": return { kind, where: scribble(prng, bytes, pick(prng, regions.tensorInfos)), bytes };
    case "truncate": {
      // Half the cuts land in the header, half in the tensor data.
      const inHeader = prng.nextUint32() % 2 === 0;
      const cut = inHeader ? prng.nextUint32() % regions.dataOffset : regions.dataOffset + (prng.nextUint32() % (source.length - regions.dataOffset));
      return { kind, where: `truncated at byte ${cut} of ${source.length}`, bytes: source.slice(0, cut) };
    }
  }
}
