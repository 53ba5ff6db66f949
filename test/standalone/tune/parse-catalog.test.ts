import { describe, expect, test } from "bun:test";
import { BUILTIN_CATALOGS } from "../../../lib/tune/builtin-catalogs.ts";
import { parseCatalog } from "../../../lib/tune/parse-catalog.ts";

const source = { label: "/cat/my.yaml", baseDir: "/cat" };
const entry = (fields: string) => `candidates:\n  - ${fields.split("\n").join("\n    ")}\n`;

describe("parseCatalog()", () => {
  test.each([
    ["a local path relative to the catalog", entry("name: a\nmodel: models/a.gguf\nsize_b: 7"), { name: "a", model: "/cat/models/a.gguf", size_b: 7 }],
    ["an absolute path", entry("name: a\nmodel: /m/a.gguf\nsize_b: 0.5"), { name: "a", model: "/m/a.gguf", size_b: 0.5 }],
    ["an hf: quant reference", entry("name: q-7b\nmodel: hf:bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M\nsize_b: 7.61"), { name: "q-7b", model: "hf:bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", size_b: 7.61 }],
    ["an hf: file reference", entry("name: q\nmodel: hf:owner/repo/sub/file.Q4_K_M.gguf\nsize_b: 1"), { name: "q", model: "hf:owner/repo/sub/file.Q4_K_M.gguf", size_b: 1 }],
    ["a URL", entry("name: u\nmodel: https://example.com/m.gguf\nsize_b: 1"), { name: "u", model: "https://example.com/m.gguf", size_b: 1 }],
    ["a fixture", entry("name: fx-1m\nmodel: fixture:fx-1m\nsize_b: 0.001"), { name: "fx-1m", model: "fixture:fx-1m", size_b: 0.001 }],
    ["sha256 (lowercased) and bytes", entry(`name: a\nmodel: /a.gguf\nsize_b: 1\nsha256: ${"AB".repeat(32)}\nbytes: 1055200`), { name: "a", model: "/a.gguf", size_b: 1, sha256: "ab".repeat(32), bytes: 1055200 }],
  ])("parseCatalog() reads %s", (_, text, expected) => {
    expect(parseCatalog(text, source)).toEqual([expected]);
  });

  test("parseCatalog() keeps the catalog's order", () => {
    const text = "candidates:\n  - {name: small, model: /s.gguf, size_b: 1}\n  - {name: big, model: /b.gguf, size_b: 9}\n";
    expect(parseCatalog(text, source).map((c) => c.name)).toEqual(["small", "big"]);
  });

  test.each([
    ["candidates: [", /^catalog \/cat\/my.yaml: not valid YAML/],
    ["- a\n- b\n", /expected a mapping with a `candidates:` list/],
    ["models: []\ncandidates: []\n", /unknown top-level key "models"/],
    ["candidates: []\n", /`candidates` must be a non-empty list/],
    ["candidates:\n  - just-a-string\n", /candidate 1: expected a mapping with name, model and size_b/],
    [entry("model: /a.gguf\nsize_b: 1"), /candidate 1: field name must be .* got null/],
    [entry("name: two words\nmodel: /a.gguf\nsize_b: 1"), /candidate 1: field name .* got "two words"/],
    [entry("name: a,b\nmodel: /a.gguf\nsize_b: 1"), /candidate 1: field name .* got "a,b"/],
    [entry("name: a\nsize_b: 1"), /candidate 1 \("a"\): field model must be a string/],
    [entry("name: a\nmodel: hf:onlyowner\nsize_b: 1"), /candidate 1 \("a"\): field model: model reference "hf:onlyowner" is not of the form/],
    [entry("name: a\nmodel: fixture:fx-2m\nsize_b: 1"), /candidate 1 \("a"\): field model: model reference "fixture:fx-2m" names no fixture; known: fixture:fx-1m/],
    [entry("name: a\nmodel: s3://bucket/a.gguf\nsize_b: 1"), /field model: model reference "s3:\/\/bucket\/a.gguf" has an unsupported scheme/],
    [entry("name: a\nmodel: /a.gguf"), /candidate 1 \("a"\): field size_b must be a positive number .* got null/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: \"7\""), /field size_b .* got "7"/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: 0"), /field size_b .* got 0/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: -1"), /field size_b .* got -1/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: 1\nsha256: abc"), /candidate 1 \("a"\): field sha256 must be 64 hex digits, got "abc"/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: 1\nbytes: 1.5"), /candidate 1 \("a"\): field bytes must be a positive whole number, got 1.5/],
    [entry("name: a\nmodel: /a.gguf\nsize_b: 1\nsize: 3"), /candidate 1 \("a"\): unknown field "size"; allowed: name, model, size_b, sha256, bytes/],
    ["candidates:\n  - {name: a, model: /a.gguf, size_b: 1}\n  - {name: a, model: /b.gguf, size_b: 2}\n", /candidate 2: name "a" repeats candidate 1/],
  ])("parseCatalog(%p) fails naming the file, the entry and the field", (text, message) => {
    expect(() => parseCatalog(text, source)).toThrow(message);
  });

  test("parseCatalog() refuses a relative path in a catalog without a folder", () => {
    expect(() => parseCatalog(entry("name: a\nmodel: a.gguf\nsize_b: 1"), { label: "builtin", baseDir: null })).toThrow(
      /catalog builtin: candidate 1 \("a"\): field model: model reference "a.gguf" is a relative path/,
    );
  });
});

describe("BUILTIN_CATALOGS", () => {
  test.each(Object.entries(BUILTIN_CATALOGS))("the %s catalog parses and lists its candidates largest first", (label, text) => {
    const candidates = parseCatalog(text, { label, baseDir: null });
    expect(candidates.length).toBeGreaterThanOrEqual(3);
    const sizes = candidates.map((c) => c.size_b);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  test("the fixtures catalog walks fx-1b down to fx-30m, generated on demand", () => {
    const candidates = parseCatalog(BUILTIN_CATALOGS.fixtures, { label: "fixtures", baseDir: null });
    expect(candidates.map((c) => c.name)).toEqual(["fx-1b", "fx-500m", "fx-250m", "fx-80m", "fx-30m"]);
    expect(candidates.every((c) => c.model === `fixture:${c.name}`)).toBe(true);
  });

  test("the builtin catalog names real instruct models on Hugging Face, from about 32B to 0.5B", () => {
    const candidates = parseCatalog(BUILTIN_CATALOGS.builtin, { label: "builtin", baseDir: null });
    expect(candidates.every((c) => c.model.startsWith("hf:") && /instruct/i.test(c.model))).toBe(true);
    expect(candidates[0]!.size_b).toBeGreaterThanOrEqual(30);
    expect(candidates.at(-1)!.size_b).toBeLessThanOrEqual(0.5);
  });
});
