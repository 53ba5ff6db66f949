import { describe, expect, test } from "bun:test";
import { defaultStage2Axes } from "../../../lib/tune/parse-stage2-axes.ts";
import { cellKey, distinctCells, stage2Cells } from "../../../lib/tune/stage2-cells.ts";

const axes = defaultStage2Axes({ targetContext: 8192, cores: 2, engines: ["prebuilt"] });

describe("stage2Cells()", () => {
  test("stage2Cells() is the full product in a fixed order, the cheapest settings first", () => {
    const cells = stage2Cells(axes);
    expect(cells.length).toBe(3 * 3 * 2 * 2); // kv × batch × threads × flash attention
    expect(cellKey(cells[0]!)).toBe("kv=none fa=off t=1 b=1 ctx=8192 prebuilt");
    expect(cellKey(cells[1]!)).toBe("kv=none fa=off t=1 b=2 ctx=8192 prebuilt");
    expect(cellKey(cells.at(-1)!)).toBe("kv=4 fa=on t=2 b=4 ctx=8192 prebuilt");
    expect(new Set(cells.map(cellKey)).size).toBe(cells.length);
  });

  test("distinctCells() drops the flash-attention variants quantized KV makes equivalent, keeping fa=on", () => {
    const cells = distinctCells(stage2Cells(axes));
    expect(cells.length).toBe(3 * 2 * 2 + 2 * 3 * 2); // F16: both FA settings; Q8/Q4: one
    expect(cells.filter((c) => c.kv_bits !== null).every((c) => c.flash_attention === "on")).toBe(true);
    expect(cells.filter((c) => c.kv_bits === null).map((c) => c.flash_attention)).toContain("off");
  });

  test("distinctCells() keeps the first variant when fa=on is not on the axis", () => {
    const cells = distinctCells(stage2Cells({ ...axes, flash_attention: ["off", "auto"], kv_bits: [8] }));
    expect(cells.map((c) => c.flash_attention)).toEqual(Array(6).fill("off"));
  });
});
