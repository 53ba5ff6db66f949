import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { editConfigText } from "../../../lib/apply/edit-config-text.ts";
import { recipeConfigEdits } from "../../../lib/apply/recipe-config-edits.ts";
import { nonOwnedLines, ownedLines, recipe, RICH_CONFIG } from "./config-texts.ts";

const edit = (text: string, rec = recipe("/new/my model.gguf")) => editConfigText(text, recipeConfigEdits(rec));

describe("editConfigText()", () => {
  test("editConfigText() keeps every non-owned line of a rich config byte for byte", () => {
    const { text, removed } = edit(RICH_CONFIG);
    expect(nonOwnedLines(text)).toEqual(nonOwnedLines(RICH_CONFIG));
    expect(removed).toEqual(["kv_bits"]);
  });

  test("editConfigText() gives the owned lines their new values, keeping their quotes and comments", () => {
    expect(ownedLines(edit(RICH_CONFIG).text)).toEqual([
      'model: "/new/my model.gguf"   # previous pick',
      "max_context_override: 1024",
      "threads: 2 # physical cores",
      "flash_attention: 'off'",
      "engine: prebuilt",
      "max_concurrency_override: 2",
    ]);
  });

  test("editConfigText() appends a new key after the last one, before the trailing comments", () => {
    const { text } = edit(RICH_CONFIG);
    expect(text.endsWith("unrelated_null: ~\nmax_concurrency_override: 2\n\n# trailing comment, no newline at the end")).toBe(true);
  });

  test("editConfigText() reads back as the recipe over the other settings", () => {
    const data = parse(edit(RICH_CONFIG).text);
    expect(data).toEqual({
      model: "/new/my model.gguf", host: "127.0.0.1", port: 8080, api_key: "s3cr&t: with # hash",
      max_context_override: 1024, threads: 2,
      extra: { nested: [1, 2, 3], list: ["a", "b"], note: "folded text continues here\n" },
      flash_attention: "off", engine: "prebuilt", max_queue: 64, unrelated_null: null, max_concurrency_override: 2,
    });
  });

  test("editConfigText() removes kv_bits when the recipe leaves it unset, keeping the comment above it", () => {
    const { text, removed } = edit("# precision\nkv_bits: 4\nport: 1\n");
    expect(removed).toEqual(["kv_bits"]);
    expect(text.startsWith("# precision\nport: 1\nmodel: ")).toBe(true);
    expect(parse(text).kv_bits).toBeUndefined();
  });

  test("editConfigText() writes kv_bits as a number when the recipe sets it", () => {
    const { text } = edit("kv_bits: '8' # was quoted\n", recipe("/m.gguf", { kv_bits: 4 }));
    expect(text.split("\n")[0]).toBe("kv_bits: 4 # was quoted");
    expect(parse(text).kv_bits).toBe(4);
  });

  const cases: [string, string, string][] = [
    ["a missing file (empty text)", "", "model: /new/my model.gguf\nmax_context_override: 1024\nmax_concurrency_override: 2\nthreads: 2\nflash_attention: off\nengine: prebuilt\n"],
    ["a file of comments only", "# nothing yet\n\n# at all", "# nothing yet\n\n# at all\nmodel: /new/my model.gguf\nmax_context_override: 1024\nmax_concurrency_override: 2\nthreads: 2\nflash_attention: off\nengine: prebuilt\n"],
    ["a quoted key", '"threads": 8\nport: 1\n', '"threads": 2\nport: 1\nmodel: /new/my model.gguf\nmax_context_override: 1024\nmax_concurrency_override: 2\nflash_attention: off\nengine: prebuilt\n'],
    ["owned keys holding a list, a block scalar and nothing", "threads:\n  - 1\n# kept\nmodel: |\n  /old.gguf\nengine:\nport: 1\n", "threads: 2\n# kept\nmodel: /new/my model.gguf\nengine: prebuilt\nport: 1\nmax_context_override: 1024\nmax_concurrency_override: 2\nflash_attention: off\n"],
    ["a file with CRLF line ends", "port: 1\r\nthreads: 8\r\n", "port: 1\r\nthreads: 2\r\nmodel: /new/my model.gguf\r\nmax_context_override: 1024\r\nmax_concurrency_override: 2\r\nflash_attention: off\r\nengine: prebuilt\r\n"],
    ["an explicit `? key`", "# threads\n? threads\n: 8\nmodel: /m\n", "# threads\nthreads: 2\nmodel: /new/my model.gguf\nmax_context_override: 1024\nmax_concurrency_override: 2\nflash_attention: off\nengine: prebuilt\n"],
  ];
  test.each(cases)("editConfigText() edits %s", (_, before, after) => {
    expect(edit(before).text).toBe(after);
  });

  test("editConfigText() quotes a value that would not read back as the same string", () => {
    expect(edit("model: /old.gguf\n", recipe("/m/a: b #1.gguf")).text.split("\n")[0]).toBe('model: "/m/a: b #1.gguf"');
    expect(edit("model: /old.gguf\n", recipe("123")).text.split("\n")[0]).toBe('model: "123"');
  });

  test("editConfigText() falls back to the Document API for a flow mapping, with the same data", () => {
    const { text } = edit("{port: 1, kv_bits: 4}\n");
    expect(parse(text)).toEqual({ port: 1, model: "/new/my model.gguf", max_context_override: 1024, max_concurrency_override: 2, threads: 2, flash_attention: "off", engine: "prebuilt" });
  });

  const refused: [string, string, RegExp][] = [
    ["malformed YAML, with its line", "port: [1\nthreads: 2\n", /^is not valid YAML at line \d+, column \d+/],
    ["duplicate keys", "port: 1\nport: 2\n", /^is not valid YAML at line 2/],
    ["a list", "- a\n- b\n", /must be a YAML mapping of keys to values, found a list/],
    ["an alias without its anchor", "model: *nowhere\n", /is not valid YAML/],
    ["a tagged owned value it cannot rewrite faithfully", "threads: !!str 8\n", /^reads back differently after the edit/],
  ];
  test.each(refused)("editConfigText() refuses %s", (_, text, message) => {
    expect(() => edit(text)).toThrow(message);
  });
});
