import { beforeAll, describe, expect, test } from "bun:test";
import { checkGgufIntegrity, GgufIntegrityError, type IntegrityDefect } from "../../lib/check-gguf-integrity.ts";
import { corruptCopies, tempDir, testFixture, writeBadVocabModel } from "../helpers/fixtures.ts";

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
