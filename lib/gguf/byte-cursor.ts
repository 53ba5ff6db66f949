/**
 * The GGUF header parser's reading primitives: a cursor over a `ByteSource` whose every read fails
 * with a `GgufParseError` naming what was being read and where.
 */
import { GGUF_VALUE_TYPE as T, GGUF_SCALAR_BYTES as SCALAR_SIZE } from "./gguf-value-types.ts";

export type GgufMetaScalar = number | bigint | boolean | string;

export type GgufMetaRead = GgufMetaScalar | GgufMetaScalar[];

/** Marks a string whose bytes were not UTF-8 (see Cursor.string). */
export const RAW_BYTES_PREFIX = "\uFFFF";
// ignoreBOM: a token may start with EF BB BF, which must stay part of it.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A name read from the file (key, tensor, token) as a one-line message shows it: quoted, control
 * characters and non-UTF-8 bytes escaped as \xNN, cut after `max` characters.
 */
export function shownName(text: string, max = 60): string {
  const raw = text.startsWith(RAW_BYTES_PREFIX);
  let out = "";
  let n = 0;
  for (const ch of raw ? text.slice(1) : text) {
    if (n++ === max) return `"${out}…"`;
    const c = ch.codePointAt(0)!;
    const escape = c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029 || (raw && c >= 0x80);
    out += escape ? `\\x${c.toString(16).padStart(2, "0")}` : ch === '"' || ch === "\\" ? `\\${ch}` : ch;
  }
  return `"${out}"`;
}

export class GgufParseError extends Error {
  constructor(message: string, readonly kind: "bad_magic" | "bad_header", readonly at: number) {
    super(message);
    this.name = "GgufParseError";
  }
}

/** Random access to bytes; a file or an in-memory buffer. */
export type ByteSource = { size: number; read(position: number, length: number): Uint8Array };

/** 64-bit values as plain numbers when exact (context lengths, token ids); bigint otherwise. */
function safeNumber(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/** Sequential little-endian reads over a ByteSource that fail with the offset, for the header parser. */
export class ByteCursor {
  position = 0;
  private readonly view: (n: number, what: string) => DataView;

  constructor(private readonly source: ByteSource) {
    this.view = (n, what) => {
      const bytes = this.bytes(n, what);
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    };
  }

  fail(message: string): GgufParseError {
    return new GgufParseError(`${message} (at byte ${this.position})`, "bad_header", this.position);
  }

  bytes(n: number, what: string): Uint8Array {
    if (this.position + n > this.source.size) {
      throw this.fail(`file ends inside the header while reading ${what} (file is ${this.source.size} bytes)`);
    }
    const out = this.source.read(this.position, n);
    this.position += n;
    return out;
  }

  u32(what: string): number { return this.view(4, what).getUint32(0, true); }

  u64Number(what: string): number {
    const v = this.view(8, what).getBigUint64(0, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`${what} is ${v}, too large`);
    return Number(v);
  }

  /** A u64 count whose items take at least `minItemBytes` each: must fit in the rest of the file. */
  count(what: string, minItemBytes: number): number {
    const n = this.u64Number(what);
    if (n * minItemBytes > this.source.size - this.position) throw this.fail(`${what} ${n} cannot fit in a ${this.source.size}-byte file`);
    return n;
  }

  /**
   * UTF-8 text; bytes that are not UTF-8 come back as U+FFFF followed by one char per byte, so
   * distinct byte strings stay distinct (llama.cpp compares token strings as raw bytes).
   */
  string(what: string): string {
    const length = this.count(`length of ${what}`, 1);
    const bytes = this.bytes(length, what);
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      let out = RAW_BYTES_PREFIX;
      for (const b of bytes) out += String.fromCharCode(b);
      return out;
    }
  }

  /** `label`: the key as messages show it (see shownName). */
  value(type: number, label: string): GgufMetaRead {
    if (type === T.ARRAY) {
      const itemType = this.u32(`array item type of ${label}`);
      if (itemType === T.ARRAY) throw this.fail(`${label} is a nested array`);
      const n = this.count(`array length of ${label}`, itemType === T.STRING ? 8 : (SCALAR_SIZE[itemType] ?? 1));
      const items: GgufMetaScalar[] = [];
      for (let i = 0; i < n; i++) items.push(this.scalar(itemType, label));
      return items;
    }
    return this.scalar(type, label);
  }

  scalar(type: number, label: string): GgufMetaScalar {
    const what = `value of ${label}`;
    switch (type) {
      case T.UINT8: return this.view(1, what).getUint8(0);
      case T.INT8: return this.view(1, what).getInt8(0);
      case T.UINT16: return this.view(2, what).getUint16(0, true);
      case T.INT16: return this.view(2, what).getInt16(0, true);
      case T.UINT32: return this.view(4, what).getUint32(0, true);
      case T.INT32: return this.view(4, what).getInt32(0, true);
      case T.FLOAT32: return this.view(4, what).getFloat32(0, true);
      case T.BOOL: return this.view(1, what).getUint8(0) !== 0;
      case T.STRING: return this.string(what);
      case T.UINT64: return safeNumber(this.view(8, what).getBigUint64(0, true));
      case T.INT64: return safeNumber(this.view(8, what).getBigInt64(0, true));
      case T.FLOAT64: return this.view(8, what).getFloat64(0, true);
      default: throw this.fail(`${label} has unknown value type ${type}`);
    }
  }
}
