import { describe, expect, test } from "bun:test";
import { checkRunId, newRunId } from "../../../lib/tune/new-run-id.ts";
import { parseByteSize } from "../../../lib/tune/parse-byte-size.ts";
import { parseTuneNumbers, TUNE_INPUT_DEFAULTS } from "../../../lib/tune/tune-input-args.ts";

describe("parseTuneNumbers()", () => {
  test("parseTuneNumbers() gives the documented defaults", () => {
    expect(parseTuneNumbers({})).toEqual({ target_context: 8192, stage1_replicates: 2, stage2_replicates: 3, gate_ttft_ms: 2000, tps_tie_epsilon: 0.03 });
    expect(parseTuneNumbers({})).toEqual(TUNE_INPUT_DEFAULTS);
  });

  test("parseTuneNumbers() reads every flag", () => {
    expect(parseTuneNumbers({ "target-context": "4096", "stage1-replicates": "1", "stage2-replicates": "5", "gate-ttft-ms": "1500", "tps-tie-epsilon": "0.1" }))
      .toEqual({ target_context: 4096, stage1_replicates: 1, stage2_replicates: 5, gate_ttft_ms: 1500, tps_tie_epsilon: 0.1 });
  });

  test.each([
    [{ "target-context": "0" }, /--target-context must be an integer from 1 to 10000000, got "0"/],
    [{ "target-context": "8k" }, /--target-context must be an integer/],
    [{ "stage1-replicates": "0" }, /--stage1-replicates must be an integer from 1 to 100/],
    [{ "gate-ttft-ms": "-5" }, /--gate-ttft-ms must be an integer/],
    [{ "tps-tie-epsilon": "1" }, /--tps-tie-epsilon must be a fraction from 0 up to \(not including\) 1, such as 0.03, got "1"/],
    [{ "tps-tie-epsilon": "3%" }, /--tps-tie-epsilon must be a fraction/],
  ])("parseTuneNumbers(%j) fails naming the flag and the value", (args, message) => {
    expect(() => parseTuneNumbers(args)).toThrow(message);
  });
});

describe("parseByteSize()", () => {
  test.each([
    ["8589934592", 8589934592],
    ["8G", 8 * 2 ** 30],
    ["8g", 8 * 2 ** 30],
    ["512M", 512 * 2 ** 20],
    ["512MiB", 512 * 2 ** 20],
    ["1.5T", 1.5 * 2 ** 40],
    ["64KB", 64 * 1024],
  ])("parseByteSize(%p) is %p bytes", (raw, bytes) => {
    expect(parseByteSize("--memory-budget", raw)).toBe(bytes);
  });

  test.each(["", "0", "8X", "-1G", "G", "eight"])("parseByteSize(%p) fails naming the option and the value", (raw) => {
    expect(() => parseByteSize("--memory-budget", raw)).toThrow(`--memory-budget must be a byte count such as 17179869184, 16G or 512M (K, M, G, T = powers of 1024), got ${JSON.stringify(raw)}`);
  });
});

describe("run ids", () => {
  test("newRunId() is the UTC start time and six hex digits", () => {
    expect(newRunId(new Date("2025-06-14T09:30:12.345Z"), "4F9C2A1B-xx")).toBe("20250614T093012Z-4f9c2a");
  });

  test.each(["run-1", "20250614T093012Z-4f9c2a", "a"])("checkRunId(%p) accepts it", (id) => {
    expect(checkRunId(id)).toBe(id);
  });

  test.each(["", "-x", "has space", "a/b", "x".repeat(65)])("checkRunId(%p) refuses it", (id) => {
    expect(() => checkRunId(id)).toThrow(/--run-id must be 1 to 64/);
  });
});
