/**
 * A strict GGUF header parser (magic, version, metadata, tensor infos) over a `ByteSource` of
 * positional reads, so a multi-gigabyte model is checked without reading its tensor data. Any
 * structural problem throws `GgufParseError` with the byte offset where it was found.
 */
import { ByteCursor, GgufParseError, shownName, type ByteSource, type GgufMetaRead } from "./byte-cursor.ts";

export { GgufParseError, RAW_BYTES_PREFIX, shownName, type ByteSource, type GgufMetaRead, type GgufMetaScalar } from "./byte-cursor.ts";

export type GgufTensorInfoRead = { name: string; dims: number[]; type: number; offset: number };

export type GgufHeaderRead = {
  version: number;
  metadata: Map<string, GgufMetaRead>;
  tensors: GgufTensorInfoRead[];
  /** Absolute offset of the tensor data (header end rounded up to `general.alignment`). */
  dataOffset: number;
  fileSize: number;
};

/** An in-memory buffer as a ByteSource. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (p, n) => bytes.subarray(p, Math.min(p + n, bytes.length)) };
}

const MAX_DIMS = 4;

export function readGgufHeader(source: ByteSource): GgufHeaderRead {
  const r = new ByteCursor(source);
  if (source.size < 4) throw new GgufParseError(`bad magic: the file is ${source.size} bytes, too short to start with "GGUF"`, "bad_magic", 0);
  const magic = r.bytes(4, "magic");
  if (new TextDecoder().decode(magic) !== "GGUF") {
    throw new GgufParseError(`bad magic: expected "GGUF", found ${JSON.stringify(new TextDecoder().decode(magic))}`, "bad_magic", 0);
  }
  const version = r.u32("version");
  if (version !== 2 && version !== 3) throw r.fail(`unsupported GGUF version ${version} (2 or 3 expected)`);
  const tensorCount = r.count("tensor count", 8 + MAX_DIMS * 8);
  const kvCount = r.count("metadata count", 8 + 4);

  const metadata = new Map<string, GgufMetaRead>();
  for (let i = 0; i < kvCount; i++) {
    const key = r.string(`metadata key #${i}`);
    const label = shownName(key);
    if (metadata.has(key)) throw r.fail(`duplicate metadata key ${label}`);
    const type = r.u32(`type of ${label}`);
    metadata.set(key, r.value(type, label));
  }

  const tensors: GgufTensorInfoRead[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string(`tensor name #${i}`);
    const label = shownName(name);
    const nDims = r.u32(`dimension count of ${label}`);
    if (nDims < 1 || nDims > MAX_DIMS) throw r.fail(`tensor ${label} has ${nDims} dimensions (1 to ${MAX_DIMS} allowed)`);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(r.u64Number(`dimension ${d} of ${label}`));
    const type = r.u32(`type of ${label}`);
    const offset = r.u64Number(`offset of ${label}`);
    tensors.push({ name, dims, type, offset });
  }

  const alignmentValue = metadata.get("general.alignment") ?? 32;
  const alignment = typeof alignmentValue === "number" ? alignmentValue : Number.NaN;
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw r.fail(`general.alignment ${String(alignmentValue)} is not a power of two`);
  }
  const dataOffset = Math.ceil(r.position / alignment) * alignment;
  return { version, metadata, tensors, dataOffset, fileSize: source.size };
}
