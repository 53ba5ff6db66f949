import { describe, expect, test } from "bun:test";
import { ttftP95 } from "../../../lib/tune/stage1-ttft-p95.ts";

describe("ttftP95()", () => {
  const table: [number[], number | null][] = [
    [[], null],
    [[1200], 1200],
    [[1200, 800], 1200],
    [[5, 1, 4, 2, 3, 9, 8, 7, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 19],
    [Array.from({ length: 21 }, (_, i) => i + 1), 20],
  ];
  for (const [values, p95] of table) {
    test(`ttftP95() of ${values.length} value(s) is ${p95} (nearest rank)`, () => expect(ttftP95(values)).toBe(p95));
  }
});
