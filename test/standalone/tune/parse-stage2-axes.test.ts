import { describe, expect, test } from "bun:test";
import { defaultStage2Axes, parseStage2Axes, type AxisFlag } from "../../../lib/tune/parse-stage2-axes.ts";

const D = { targetContext: 8192, cores: 2, engines: ["prebuilt" as const] };

describe("parseStage2Axes()", () => {
  test("parseStage2Axes() gives the defaults for absent and empty axes", () => {
    expect(parseStage2Axes({}, D)).toEqual({
      kv_bits: [null, 8, 4], max_batch: [1, 2, 4], max_context: [8192], threads: [1, 2], flash_attention: ["off", "on"], engine: ["prebuilt"],
    });
    expect(parseStage2Axes({ "kv-bits-axis": "", "threads-axis": "  " }, D)).toEqual(defaultStage2Axes(D));
  });

  const valid: [AxisFlag, string, keyof ReturnType<typeof defaultStage2Axes>, unknown[]][] = [
    ["kv-bits-axis", "none,8,4", "kv_bits", [null, 8, 4]],
    ["kv-bits-axis", "F16, 4", "kv_bits", [null, 4]],
    ["max-batch-axis", "4,1", "max_batch", [4, 1]],
    ["max-context-axis", "16384,8192,12000", "max_context", [8192, 12000, 16384]],
    ["threads-axis", "2", "threads", [2]],
    ["flash-attention-axis", "ON,off,auto", "flash_attention", ["on", "off", "auto"]],
    ["engine-axis", "local,prebuilt", "engine", ["local", "prebuilt"]],
  ];
  test.each(valid)("parseStage2Axes() reads --%s %p", (flag, raw, key, expected) => {
    expect(parseStage2Axes({ [flag]: raw }, D)[key]).toEqual(expected as never);
  });

  const invalid: [AxisFlag, string, string][] = [
    ["max-context-axis", "9000,,10000", '--max-context-axis has an empty cell at position 2 in "9000,,10000"'],
    ["max-batch-axis", "1,2,", '--max-batch-axis has an empty cell at position 3 in "1,2,"'],
    ["max-batch-axis", "1,2,1", '--max-batch-axis has "1" at position 3 in "1,2,1", a duplicate'],
    ["kv-bits-axis", "none,f16", '--kv-bits-axis has "f16" at position 2 in "none,f16", a duplicate'],
    ["threads-axis", "1,two", '--threads-axis has "two" at position 2 in "1,two"; allowed: an integer from 1 to 1024'],
    ["max-batch-axis", "0", '--max-batch-axis has "0" at position 1 in "0"; allowed: an integer from 1 to 256'],
    ["kv-bits-axis", "16", '--kv-bits-axis has "16" at position 1 in "16"; allowed: 4, 8 or none'],
    ["flash-attention-axis", "yes", '--flash-attention-axis has "yes" at position 1 in "yes"; allowed: one of off, on, auto'],
    ["engine-axis", "cuda", '--engine-axis has "cuda" at position 1 in "cuda"; allowed: one of prebuilt, local'],
    ["max-context-axis", "8192,4096", "--max-context-axis has a cap 4096 below --target-context 8192"],
    ["threads-axis", "1.5", '--threads-axis has "1.5" at position 1 in "1.5"; allowed: an integer from 1 to 1024'],
  ];
  test.each(invalid)("parseStage2Axes() refuses --%s %p", (flag, raw, message) => {
    expect(() => parseStage2Axes({ [flag]: raw }, D)).toThrow(message);
  });
});
