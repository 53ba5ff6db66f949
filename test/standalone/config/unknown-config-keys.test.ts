import { describe, expect, test } from "bun:test";
import { unknownConfigKeys, unknownKeyWarning } from "../../../lib/config/unknown-config-keys.ts";

const warnings = (yaml: Record<string, unknown>) => unknownConfigKeys(yaml).map((u) => unknownKeyWarning(u, "/c.yaml"));

describe("unknownConfigKeys()", () => {
  test("unknownConfigKeys() finds nothing in a file of serve's own keys", () => {
    expect(unknownConfigKeys({ model: "m.gguf", kv_bits: 8, max_concurrency_override: 2, max_context_override: 4096, api_key: "k" })).toEqual([]);
  });

  test.each([
    ["the flag's name", "max_batch", 'unknown key "max_batch" is ignored: the YAML name of --max-batch is max_concurrency_override'],
    ["the flag's name with dashes", "max-context", 'unknown key "max-context" is ignored: the YAML name of --max-context is max_context_override'],
    ["the env name", "MACPROVIDER_MAX_BATCH", "the YAML name of --max-batch is max_concurrency_override"],
    ["a typo", "threds", 'unknown key "threds" is ignored: did you mean threads (--threads)?'],
    ["a typo of a long name", "max_concurency_override", "did you mean max_concurrency_override (--max-batch)?"],
    ["a key of another tool", "coordinator_url", 'unknown key "coordinator_url" is ignored (not a serve setting)'],
  ])("unknownKeyWarning() for %s names the key meant", (_, key, warning) => {
    expect(warnings({ [key]: 1 })).toEqual([expect.stringContaining(warning)]);
  });

  test("unknownKeyWarning() names the file, one line per unknown key", () => {
    const lines = warnings({ model: "m", max_batch: 2, kvbits: 8 });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toStartWith("config file /c.yaml: unknown key ");
  });
});
