import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildByteVocab, TOKEN_TYPE } from "../../lib/byte-vocab.ts";
import { sha256File } from "../../lib/ensure-fixture.ts";
import { countParams, FIXTURE_FAMILY, fixtureTensors } from "../../lib/fixture-family.ts";
import { parseFixtureNames } from "../../lib/make-fixtures.ts";
import { REPO_ROOT, tempDir } from "../helpers/fixtures.ts";

describe("FIXTURE_FAMILY", () => {
  const nominal: Record<string, number> = {
    "fx-1m": 1e6, "fx-8m": 8e6, "fx-30m": 30e6, "fx-80m": 80e6, "fx-250m": 250e6, "fx-500m": 500e6, "fx-1b": 1e9,
  };
  test.each(FIXTURE_FAMILY.map((s) => [s.name, s] as const))("%s has about its nominal parameter count", (name, spec) => {
    const params = countParams(fixtureTensors(spec, buildByteVocab().tokens.length));
    expect(params / nominal[name]!).toBeGreaterThan(0.7);
    expect(params / nominal[name]!).toBeLessThan(1.3);
  });

  test("every fixture tensor row fits Q8_0 blocks and heads divide the width", () => {
    for (const spec of FIXTURE_FAMILY) {
      expect(spec.embd % spec.heads).toBe(0);
      expect(spec.heads % spec.kvHeads).toBe(0);
      for (const t of fixtureTensors(spec, 500)) expect(t.dims[0]! % 32).toBe(0);
    }
  });
});

describe("buildByteVocab()", () => {
  test("buildByteVocab() has a byte token for each of the 256 bytes and no duplicate", () => {
    const vocab = buildByteVocab();
    const bytes = vocab.tokens.filter((_, i) => vocab.types[i] === TOKEN_TYPE.BYTE);
    expect(bytes.length).toBe(256);
    expect(new Set(vocab.tokens).size).toBe(vocab.tokens.length);
    expect(vocab.tokens).toContain("▁the");
    expect(vocab.tokens).toContain("▁th"); // SentencePiece needs every prefix to reach "▁the"
  });

  test("buildByteVocab() can be made defective on purpose", () => {
    const dup = buildByteVocab({ duplicateToken: true });
    expect(new Set(dup.tokens).size).toBe(dup.tokens.length - 1);
    expect(buildByteVocab({ dropByteTokens: [10] }).tokens).not.toContain("<0x0A>");
  });
});

describe("parseFixtureNames()", () => {
  test.each([
    [undefined, FIXTURE_FAMILY.length],
    ["all", FIXTURE_FAMILY.length],
    ["fx-1m,8m", 2],
  ])("parseFixtureNames(%p) picks %p fixtures", (list, n) => {
    expect(parseFixtureNames(list).length).toBe(n);
  });

  test.each([
    ["1m,,8m", /empty entry at position 2/],
    ["fx-2m", /unknown fixture "fx-2m"; known: fx-1m/],
    ["1m,fx-1m", /lists "fx-1m" twice/],
  ])("parseFixtureNames(%p) fails naming the problem", (list, message) => {
    expect(() => parseFixtureNames(list)).toThrow(message);
  });
});

describe("scripts/make-fixtures.ts", () => {
  const run = (out: string) => {
    const proc = Bun.spawnSync([process.execPath, join(REPO_ROOT, "scripts/make-fixtures.ts"), "--out", out, "--sizes", "fx-1m,fx-8m"], { stderr: "pipe" });
    expect(proc.exitCode).toBe(0);
    return JSON.parse(proc.stdout.toString()) as { catalog: string; models: { name: string; path: string; sha256: string; bytes: number }[] };
  };

  test("make-fixtures writes byte-identical models on every run and reuses an identical file", async () => {
    const a = tempDir(), b = tempDir();
    const first = run(a);
    const second = run(b);
    expect(second.models.map((m) => m.sha256)).toEqual(first.models.map((m) => m.sha256));
    for (const m of first.models) {
      expect(await sha256File(m.path)).toBe(m.sha256);
      expect(statSync(m.path).size).toBe(m.bytes);
    }

    const mtimes = first.models.map((m) => statSync(m.path).mtimeMs);
    const again = run(a);
    expect(again.models.map((m) => statSync(m.path).mtimeMs)).toEqual(mtimes);
    expect(readdirSync(a).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("make-fixtures rewrites a fixture whose bytes changed and removes a dead writer's temp file", async () => {
    const dir = tempDir();
    const first = run(dir);
    const fx1 = first.models.find((m) => m.name === "fx-1m")!;
    const bytes = readFileSync(fx1.path);
    bytes[bytes.length - 1]! ^= 0xff; // same size, different content
    writeFileSync(fx1.path, bytes);
    writeFileSync(`${fx1.path}.tmp-999999999`, "half a model");
    run(dir);
    expect(await sha256File(fx1.path)).toBe(fx1.sha256);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("make-fixtures writes a catalog listing the models largest first", () => {
    const out = tempDir();
    const result = run(out);
    const catalog = parse(readFileSync(result.catalog, "utf8"));
    expect(catalog.candidates.map((c: { name: string }) => c.name)).toEqual(["fx-8m", "fx-1m"]);
    expect(catalog.candidates[0].model).toBe("fx-8m.gguf");
    expect(catalog.candidates[0].size_b).toBe(0.008);
  });

  test("make-fixtures rejects an unknown size with exit 64 and one line", () => {
    const proc = Bun.spawnSync([process.execPath, join(REPO_ROOT, "scripts/make-fixtures.ts"), "--out", tempDir(), "--sizes", "huge"], { stderr: "pipe" });
    expect(proc.exitCode).toBe(64);
    const err = proc.stderr.toString();
    expect(err).toContain('unknown fixture "huge"');
    expect(err).not.toContain("    at ");
  });
});
