import { beforeAll, describe, expect, test } from "bun:test";
import { checkGgufHeader, GgufIntegrityError, type IntegrityDefect } from "../../../lib/gguf/check-gguf-header.ts";
import { checkGgufIntegrity } from "../../../lib/gguf/io/check-gguf-integrity.ts";
import { bufferSource, readGgufHeader } from "../../../lib/gguf/read-gguf-header.ts";
import { layoutGguf, type GgufMetaEntry } from "../../../lib/gguf/layout-gguf.ts";
import { corruptCopies, tempDir, testFixture, writeBadVocabModel } from "../../helpers/fixtures.ts";
import { LLAMA_HPARAMS } from "./llama-hparams.ts";

let copies: ReturnType<typeof corruptCopies>;
let dupVocab: string, noByteVocab: string, noNewlineVocab: string;

beforeAll(async () => {
  const dir = tempDir();
  copies = corruptCopies((await testFixture("fx-1m")).path, dir);
  dupVocab = await writeBadVocabModel(dir, "bad-vocab-dup", { duplicateToken: true });
  noByteVocab = await writeBadVocabModel(dir, "bad-vocab-nobytes", { dropByteTokens: [0xe4, 0xff] });
  noNewlineVocab = await writeBadVocabModel(dir, "bad-vocab-nonewline", { dropByteTokens: [0x0a] });
});

function defectOf(path: string): IntegrityDefect | "ok" {
  try {
    checkGgufIntegrity(path);
    return "ok";
  } catch (error) {
    if (error instanceof GgufIntegrityError) return error.defect;
    throw error;
  }
}

describe("checkGgufIntegrity()", () => {
  test("checkGgufIntegrity() passes an intact fixture and summarises it", () => {
    const summary = checkGgufIntegrity(copies.intact);
    expect(summary.architecture).toBe("llama");
    expect(summary.trainContext).toBe(32768);
    expect(summary.vocabSize).toBeGreaterThan(256);
  });

  const cases: [string, () => string, IntegrityDefect][] = [
    ["a truncated copy", () => copies.truncated, "tensor_out_of_bounds"],
    ["a header-only copy (no tensor data)", () => copies.headerOnly, "tensor_out_of_bounds"],
    ["a flipped-magic copy", () => copies.flippedMagic, "bad_magic"],
    ["an empty file", () => copies.empty, "bad_magic"],
    ["a copy cut inside the metadata", () => copies.cutInMetadata, "bad_header"],
    ["a vocabulary with a duplicate token", () => dupVocab, "duplicate_token"],
    ["a SentencePiece vocabulary missing byte tokens", () => noByteVocab, "missing_byte_token"],
    ["a SentencePiece vocabulary missing <0x0A>", () => noNewlineVocab, "missing_byte_token"],
  ];
  test.each(cases)("checkGgufIntegrity() flags %s", (_, path, defect) => {
    expect(defectOf(path())).toBe(defect);
  });

  test("checkGgufIntegrity() names the file and the defect in its message", () => {
    expect(() => checkGgufIntegrity(noByteVocab)).toThrow(/bad-vocab-nobytes\.gguf failed the integrity check \(missing_byte_token\): .*0xE4, 0xFF/);
    expect(() => checkGgufIntegrity(copies.truncated)).toThrow(/data ends at byte \d+ but the file has \d+ bytes/);
  });

  test("checkGgufIntegrity() lets a missing file surface as a plain ENOENT, not a model defect", () => {
    expect(() => checkGgufIntegrity("/nonexistent/model.gguf")).toThrow(/ENOENT/);
  });
});

describe("checkGgufHeader() on hand-made headers", () => {
  const header = (meta: GgufMetaEntry[]) => readGgufHeader(bufferSource(layoutGguf(meta, []).header));
  const base: GgufMetaEntry[] = [{ key: "general.architecture", kind: "string", value: "llama" }, ...LLAMA_HPARAMS];

  test("checkGgufHeader() compares token strings as bytes: two different non-UTF-8 tokens are not duplicates", () => {
    const bytes = layoutGguf([...base, { key: "tokenizer.ggml.model", kind: "string", value: "gpt2" }, { key: "tokenizer.ggml.tokens", kind: "strings", value: ["ab", "cd"] }], []).header;
    // Make the tokens 0xC3 0x28 and 0xC4 0x28: both invalid UTF-8, both "\uFFFD(" if decoded lossily.
    const patched = Buffer.from(bytes);
    const at = patched.indexOf("ab");
    patched.set([0xc3, 0x28], at);
    patched.set([0xc4, 0x28], patched.indexOf("cd"));
    expect(at).toBeGreaterThan(0);
    expect(checkGgufHeader("m.gguf", readGgufHeader(bufferSource(patched))).vocabSize).toBe(2);
  });

  test("checkGgufHeader() reads a u64 context length as a number", () => {
    const meta = base.map((e): GgufMetaEntry => (e.key === "llama.context_length" ? { key: e.key, kind: "u64", value: 131072 } : e));
    const summary = checkGgufHeader("m.gguf", header([...meta, { key: "tokenizer.ggml.model", kind: "string", value: "none" }]));
    expect(summary.trainContext).toBe(131072);
  });

  test("checkGgufHeader() flags a u64 special token id outside the vocabulary", () => {
    const meta: GgufMetaEntry[] = [...base, { key: "tokenizer.ggml.model", kind: "string", value: "gpt2" }, { key: "tokenizer.ggml.tokens", kind: "strings", value: ["a", "b"] }, { key: "tokenizer.ggml.eos_token_id", kind: "u64", value: 7 }];
    expect(() => checkGgufHeader("m.gguf", header(meta))).toThrow(/eos_token_id 7 is outside the 2-token vocabulary/);
  });
});
