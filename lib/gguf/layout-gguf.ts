/**
 * Pure GGUF v3 encoding: metadata and tensor infos to header bytes, and the byte layout of the
 * tensor data. Writing the bytes to disk is `writeGgufFile`'s job.
 */
import { tensorByteSize } from "./ggml-types.ts";
import { GGUF_VALUE_TYPE as T } from "./gguf-value-types.ts";

export type GgufMetaValue =
  | { kind: "u32"; value: number }
  | { kind: "u64"; value: number }
  | { kind: "i32"; value: number }
  | { kind: "f32"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "strings"; value: readonly string[] }
  | { kind: "f32s"; value: readonly number[] }
  | { kind: "i32s"; value: readonly number[] };

export type GgufMetaEntry = { key: string } & GgufMetaValue;

export type GgufTensorSpec = { name: string; dims: readonly number[]; type: number };

export type GgufTensorLayout = GgufTensorSpec & { offset: number; byteSize: number };

export type GgufLayout = {
  /** Everything before the tensor data, padded to the alignment. */
  header: Uint8Array;
  tensors: GgufTensorLayout[];
  /** Absolute file offset of the tensor data section. */
  dataOffset: number;
  totalBytes: number;
  alignment: number;
};


/** Lays out a GGUF file: encodes the header and places each tensor at an aligned offset. */
export function layoutGguf(meta: readonly GgufMetaEntry[], tensors: readonly GgufTensorSpec[], alignment = 32): GgufLayout {
  const laidOut: GgufTensorLayout[] = [];
  let offset = 0;
  for (const t of tensors) {
    const byteSize = tensorByteSize(t.type, t.dims);
    if (byteSize === null) throw new Error(`layoutGguf: tensor "${t.name}" has unknown ggml type ${t.type}`);
    laidOut.push({ ...t, offset, byteSize });
    offset = alignUp(offset + byteSize, alignment);
  }

  const out = new ByteBuilder();
  out.bytes(new TextEncoder().encode("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(meta.length);
  for (const entry of meta) {
    out.string(entry.key);
    writeValue(out, entry);
  }
  for (const t of laidOut) {
    out.string(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(t.type);
    out.u64(t.offset);
  }
  const dataOffset = alignUp(out.length, alignment);
  out.zeros(dataOffset - out.length);
  const last = laidOut.at(-1);
  const totalBytes = dataOffset + (last ? last.offset + last.byteSize : 0);
  return { header: out.finish(), tensors: laidOut, dataOffset, totalBytes, alignment };
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function writeValue(out: ByteBuilder, v: GgufMetaValue): void {
  switch (v.kind) {
    case "u32": out.u32(T.UINT32); out.u32(v.value); return;
    case "u64": out.u32(T.UINT64); out.u64(v.value); return;
    case "i32": out.u32(T.INT32); out.i32(v.value); return;
    case "f32": out.u32(T.FLOAT32); out.f32(v.value); return;
    case "bool": out.u32(T.BOOL); out.u8(v.value ? 1 : 0); return;
    case "string": out.u32(T.STRING); out.string(v.value); return;
    case "strings":
      out.u32(T.ARRAY); out.u32(T.STRING); out.u64(v.value.length);
      for (const s of v.value) out.string(s);
      return;
    case "f32s":
      out.u32(T.ARRAY); out.u32(T.FLOAT32); out.u64(v.value.length);
      for (const x of v.value) out.f32(x);
      return;
    case "i32s":
      out.u32(T.ARRAY); out.u32(T.INT32); out.u64(v.value.length);
      for (const x of v.value) out.i32(x);
      return;
  }
}

/** Little-endian byte accumulator that grows by doubling. */
class ByteBuilder {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number) {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(x: number) { this.reserve(1); this.view.setUint8(this.length, x); this.length += 1; }
  u32(x: number) { this.reserve(4); this.view.setUint32(this.length, x, true); this.length += 4; }
  i32(x: number) { this.reserve(4); this.view.setInt32(this.length, x, true); this.length += 4; }
  f32(x: number) { this.reserve(4); this.view.setFloat32(this.length, x, true); this.length += 4; }
  u64(x: number) { this.reserve(8); this.view.setBigUint64(this.length, BigInt(x), true); this.length += 8; }
  bytes(b: Uint8Array) { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  string(s: string) { const b = new TextEncoder().encode(s); this.u64(b.length); this.bytes(b); }
  zeros(n: number) { this.reserve(n); this.length += n; }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}
