import { describe, expect, test } from "bun:test";
import { ramTierContext } from "../../../lib/config/ram-tier-context.ts";

const GiB = 1024 ** 3;

describe("ramTierContext()", () => {
  test.each([
    [8 * GiB, 20_000],
    [15.5 * GiB, 50_000],
    [16 * GiB, 50_000],
    [24 * GiB, 50_000],
    [31.3 * GiB, 120_000],
    [62 * GiB, 200_000],
    [128 * GiB, 200_000],
  ])("ramTierContext(%p) is %p", (ram, context) => {
    expect(ramTierContext(ram)).toBe(context);
  });
});
