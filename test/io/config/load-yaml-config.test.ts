import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadYamlConfig } from "../../../lib/config/io/load-yaml-config.ts";
import { tempDir } from "../../helpers/fixtures.ts";

describe("loadYamlConfig()", () => {
  const dir = tempDir();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test("loadYamlConfig() reads a mapping, keeping YAML types", () => {
    expect(loadYamlConfig(file("ok.yaml", "# comment\nkv_bits: 8\nflash_attention: true\nmodel: ./m.gguf\n"), true)).toEqual({ kv_bits: 8, flash_attention: true, model: "./m.gguf" });
  });

  test("loadYamlConfig() treats an empty file as no settings", () => {
    expect(loadYamlConfig(file("empty.yaml", "# nothing yet\n"), true)).toEqual({});
  });

  test("loadYamlConfig() treats a missing file at the default location as no config", () => {
    expect(loadYamlConfig(join(dir, "absent.yaml"), false)).toBeNull();
  });

  const refused: [string, () => string, RegExp][] = [
    ["a missing file the operator named", () => join(dir, "missing.yaml"), /config file .*missing\.yaml cannot be read: ENOENT/],
    ["malformed YAML, with its line", () => file("bad.yaml", "kv_bits: [4\nthreads: 2\n"), /config file .*bad\.yaml is not valid YAML at line \d+, column \d+/],
    ["a list instead of a mapping", () => file("list.yaml", "- a\n- b\n"), /must be a YAML mapping of keys to values, found a list/],
    ["a scalar instead of a mapping", () => file("scalar.yaml", "just text\n"), /must be a YAML mapping of keys to values, found string/],
  ];
  test.each(refused)("loadYamlConfig() refuses %s with a ConfigError", (_, path, message) => {
    expect(() => loadYamlConfig(path(), true)).toThrow(message);
  });
});
