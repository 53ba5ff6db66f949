import { describe, expect, test } from "bun:test";
import { backupName } from "../../../lib/apply/backup-name.ts";

describe("backupName()", () => {
  test("backupName() is <file>.bak-<UTC timestamp>-<n>, without colons or fractions", () => {
    const now = new Date("2025-03-04T05:06:07.891Z");
    expect(backupName("/h/.config/macprovider/config.yaml", now, 1)).toBe("/h/.config/macprovider/config.yaml.bak-20250304T050607Z-1");
    expect(backupName("/h/config.yaml", now, 12)).toBe("/h/config.yaml.bak-20250304T050607Z-12");
  });

  test("backupName() sorts by time as text", () => {
    const names = ["2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z", "2025-01-02T00:00:00Z"].map((t) => backupName("c.yaml", new Date(t), 1));
    expect([...names].sort()).toEqual([names[2], names[0], names[1]]);
  });
});
