import { describe, expect, test } from "bun:test";
import { float16Bits } from "../../../lib/fixtures/fixture-tensor-data.ts";
import { GGML_TYPE, tensorByteSize } from "../../../lib/gguf/ggml-types.ts";
import { bufferSource, GgufParseError, readGgufHeader } from "../../../lib/gguf/read-gguf-header.ts";
import { layoutGguf, type GgufMetaEntry } from "../../../lib/gguf/layout-gguf.ts";

const META: GgufMetaEntry[] = [
  { key: "general.architecture", kind: "string", value: "llama" },
  { key: "u", kind: "u32", value: 4_000_000_000 },
  { key: "i", kind: "i32", value: -7 },
  { key: "f", kind: "f32", value: 0.5 },
  { key: "b", kind: "bool", value: true },
  { key: "s", kind: "strings", value: ["a", "▁b", "<0x0A>"] },
  { key: "fs", kind: "f32s", value: [1.5, -2] },
  { key: "is", kind: "i32s", value: [1, -1, 6] },
];

describe("layoutGguf()", () => {
  test("layoutGguf() round-trips every metadata kind through readGgufHeader()", () => {
    const layout = layoutGguf(META, []);
    const header = readGgufHeader(bufferSource(layout.header));
    expect(header.version).toBe(3);
    expect(Object.fromEntries(header.metadata)).toEqual({
      "general.architecture": "llama", u: 4_000_000_000, i: -7, f: 0.5, b: true,
      s: ["a", "▁b", "<0x0A>"], fs: [1.5, -2], is: [1, -1, 6],
    });
  });

  test("layoutGguf() places tensors at aligned offsets after an aligned header", () => {
    const layout = layoutGguf(META, [
      { name: "norm", dims: [5], type: GGML_TYPE.F32 },
      { name: "w", dims: [64, 3], type: GGML_TYPE.Q8_0 },
    ]);
    expect(layout.dataOffset % 32).toBe(0);
    expect(layout.header.length).toBe(layout.dataOffset);
    expect(layout.tensors.map((t) => [t.offset, t.byteSize])).toEqual([[0, 20], [32, 6 * 34]]);
    expect(layout.totalBytes).toBe(layout.dataOffset + 32 + 204);
    const read = readGgufHeader(bufferSource(layout.header));
    expect(read.tensors).toEqual([
      { name: "norm", dims: [5], type: 0, offset: 0 },
      { name: "w", dims: [64, 3], type: 8, offset: 32 },
    ]);
    expect(read.dataOffset).toBe(layout.dataOffset);
  });

  test("layoutGguf() rejects an unknown tensor type by name", () => {
    expect(() => layoutGguf([], [{ name: "x", dims: [32], type: 99 }])).toThrow(/tensor "x" has unknown ggml type 99/);
  });
});

describe("readGgufHeader()", () => {
  test("readGgufHeader() reports a file cut inside the metadata as bad_header with the offset", () => {
    const header = layoutGguf(META, []).header;
    const bytes = header.subarray(0, header.length - 40);
    try {
      readGgufHeader(bufferSource(bytes));
      throw new Error("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(GgufParseError);
      expect((error as GgufParseError).kind).toBe("bad_header");
      expect((error as Error).message).toMatch(/file ends inside the header/);
    }
  });

  test("readGgufHeader() rejects an absurd metadata count without allocating it", () => {
    const bytes = new Uint8Array(24);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode("GGUF"));
    view.setUint32(4, 3, true);
    view.setBigUint64(16, 1n << 40n, true);
    expect(() => readGgufHeader(bufferSource(bytes))).toThrow(/metadata count 1099511627776 cannot fit/);
  });
});

describe("tensorByteSize()", () => {
  test.each([
    [GGML_TYPE.F32, [10], 40],
    [GGML_TYPE.F16, [10, 2], 40],
    [GGML_TYPE.Q8_0, [64, 2], 4 * 34],
    [GGML_TYPE.Q4_0, [32], 18],
    [12, [256, 4], 4 * 144], // Q4_K
  ])("tensorByteSize(%p, %p) is %p", (type, dims, bytes) => {
    expect(tensorByteSize(type, dims)).toBe(bytes);
  });

  test("tensorByteSize() is null for an unknown type", () => {
    expect(tensorByteSize(4, [32])).toBeNull();
  });
});

describe("float16Bits()", () => {
  test.each([
    [1, 0x3c00],
    [0.5, 0x3800],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1 / 3, 0x3555],
    [0.1, 0x2e66],
  ])("float16Bits(%p) is %p", (x, bits) => {
    expect(float16Bits(x)).toBe(bits);
  });

  test("float16Bits() refuses values outside the normal half range", () => {
    expect(() => float16Bits(1e-8)).toThrow(/outside the normal half range/);
  });
});
