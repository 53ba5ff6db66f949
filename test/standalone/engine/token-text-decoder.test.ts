import { describe, expect, test } from "bun:test";
import { TokenTextDecoder } from "../../../lib/engine/token-text-decoder.ts";

// A byte-level detokenizer: each token is one byte, decoded the way llama.cpp's output reaches JS
// (invalid sequences become U+FFFD).
const bytesDetokenize = (tokens: readonly number[]) => new TextDecoder().decode(new Uint8Array(tokens));
const bytesOf = (s: string) => [...new TextEncoder().encode(s)];

function decodeAll(tokens: number[]): string[] {
  const decoder = new TokenTextDecoder(bytesDetokenize);
  const out = tokens.map((t) => decoder.push(t));
  out.push(decoder.flush());
  return out;
}

describe("TokenTextDecoder", () => {
  test.each([
    ["ASCII", "hello"],
    ["a 2-byte character", "héllo"],
    ["a 3-byte character", "中文"],
    ["a 4-byte emoji", "a😀b"],
  ])("TokenTextDecoder reassembles %s split across tokens", (_, text) => {
    const pieces = decodeAll(bytesOf(text));
    expect(pieces.join("")).toBe(text);
    expect(pieces.every((p) => !p.includes("\uFFFD"))).toBe(true);
  });

  test("TokenTextDecoder holds a partial character until it completes", () => {
    const decoder = new TokenTextDecoder(bytesDetokenize);
    const [a, b, c] = bytesOf("中");
    expect(decoder.push(a!)).toBe("");
    expect(decoder.push(b!)).toBe("");
    expect(decoder.push(c!)).toBe("中");
  });

  test("TokenTextDecoder turns bytes that never form a character into U+FFFD", () => {
    expect(decodeAll([0x41, 0x80, 0x42]).join("")).toBe("A\uFFFDB");
    expect(decodeAll([0x41, 0xe4, 0xb8]).join("")).toBe("A\uFFFD");
    expect(decodeAll([0xff, 0xff, 0xff, 0xff, 0xff]).join("")).toBe("\uFFFD".repeat(5));
  });

  test("TokenTextDecoder streams the same text as decoding all bytes at once, noise included", () => {
    const noisy = [0xf0, 0x9f, 0x41, 0xe4, 0xb8, 0xad, 0xc3, 0x28, 0xed, 0xa0, 0x80];
    expect(decodeAll(noisy).join("")).toBe(bytesDetokenize(noisy));
  });
});

describe("TokenTextDecoder with a piece cache", () => {
  // ASCII bytes have fixed pieces; anything else goes through detokenize.
  const pieceOf = (t: number) => (t < 0x80 ? String.fromCharCode(t) : undefined);

  test("TokenTextDecoder uses cached pieces without detokenizing", () => {
    let calls = 0;
    const decoder = new TokenTextDecoder((tokens) => { calls++; return bytesDetokenize(tokens); }, pieceOf);
    expect(bytesOf("hello").map((t) => decoder.push(t)).join("")).toBe("hello");
    expect(calls).toBe(0);
  });

  test("TokenTextDecoder mixes cached pieces and held multi-byte characters in order", () => {
    const decoder = new TokenTextDecoder(bytesDetokenize, pieceOf);
    const out = bytesOf("a中b😀c").map((t) => decoder.push(t));
    out.push(decoder.flush());
    expect(out.join("")).toBe("a中b😀c");
  });
});
