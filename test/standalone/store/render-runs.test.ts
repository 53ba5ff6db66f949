import { describe, expect, test } from "bun:test";
import { formatTable } from "../../../lib/store/format-table.ts";
import { formatWhen, renderRunList } from "../../../lib/store/render-run-list.ts";
import { renderRunDetail } from "../../../lib/store/render-run-detail.ts";
import type { RunRecord, TrialRecord } from "../../../lib/store/run-store.ts";
import { sortTrials } from "../../../lib/store/sort-trials.ts";

const baseTrial: TrialRecord = {
  id: 1, run_id: "r", stage: 1, model: "m", kv_bits: null, max_context_cap: null, max_batch: null, threads: null, flash_attention: null, engine: null,
  gpu: null, gpu_layers: null, fits: true, n_err: 0, replicates_n: null, tps: null, ttft_p95_ms: null, load_ms: null, kept: false, notes: null, created_at: "t",
};
const legacyRun: RunRecord = {
  run_id: "r", spec_version: null, started_at: "2024-01-01T00:00:00Z", finished_at: null, machine: null, inputs: null, exit_reason: null, recipe_hash: null, recommendation: null,
};

describe("formatTable()", () => {
  test("formatTable() pads columns to the widest cell without trailing blanks", () => {
    expect(formatTable(["a", "bb"], [["xyz", "1"], ["", ""]])).toBe("a    bb\nxyz  1\n");
  });
});

describe("formatWhen()", () => {
  test.each([
    ["2025-05-01T12:00:07.123Z", "2025-05-01 12:00 UTC"],
    ["2025-05-01T14:00:00+02:00", "2025-05-01 12:00 UTC"],
    ["yesterday", "yesterday"],
  ])("formatWhen(%p) is %p", (iso, shown) => expect(formatWhen(iso)).toBe(shown));
});

describe("renderRunList()", () => {
  test("renderRunList() prints id, when, model, tok/s and exit reason per run", () => {
    const text = renderRunList([
      { run_id: "run-2", started_at: "2025-05-02T00:00:00Z", finished_at: "x", model: "fx-30m", tps: 41.25, exit_reason: "completed", trials: 9 },
      { run_id: "run-1", started_at: "2025-05-01T00:00:00Z", finished_at: null, model: null, tps: null, exit_reason: null, trials: 0 },
    ]);
    expect(text.split("\n")).toEqual([
      "id     when                  model   tok/s  exit reason",
      "run-2  2025-05-02 00:00 UTC  fx-30m  41.3   completed",
      "run-1  2025-05-01 00:00 UTC  -       -      (unfinished)",
    ]);
  });

  test("renderRunList() of no runs says so", () => expect(renderRunList([])).toBe("no runs yet"));
});

describe("sortTrials()", () => {
  test("sortTrials() orders by stage, then tok/s descending with unmeasured last, then id", () => {
    const trials = [
      { ...baseTrial, id: 1, stage: 2, tps: 10 },
      { ...baseTrial, id: 2, stage: 1, tps: null },
      { ...baseTrial, id: 3, stage: 2, tps: 30 },
      { ...baseTrial, id: 4, stage: 1, tps: 5 },
      { ...baseTrial, id: 5, stage: 2, tps: null },
      { ...baseTrial, id: 6, stage: 2, tps: 30 },
    ] as TrialRecord[];
    expect(sortTrials(trials).map((t) => t.id)).toEqual([4, 2, 3, 6, 1, 5]);
  });
});

describe("renderRunDetail()", () => {
  test("renderRunDetail() marks the kept trial and says what an old run did not record", () => {
    const text = renderRunDetail({
      run: legacyRun,
      trials: [{ ...baseTrial, id: 1, stage: 2, tps: 1 }, { ...baseTrial, id: 2, stage: 2, tps: 2, kept: true, kv_bits: 8, notes: "winner" }],
    });
    expect(text).toContain("machine      unknown (recorded by an older version)");
    expect(text).toContain("recommended  none");
    expect(text).toContain("trials (2)");
    const rows = text.split("\n").filter((l) => /^(\*| ) +\d/.test(l));
    expect(rows[0]).toMatch(/^\* +2 +2 +m +8 .*2\.0 .*winner$/);
    expect(rows[1]).toMatch(/^ +1 +2 +m +unset /);
  });
});
