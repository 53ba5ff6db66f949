import { describe, expect, test } from "bun:test";
import { runHeadline } from "../../../lib/report/run-headline.ts";
import { RECOMMENDATION, runRecord } from "./report-details.ts";

const measured = { probes: 2, cells: 3 };

describe("runHeadline()", () => {
  test("runHeadline() leads a completed run with the recommended model, its tok/s and TTFT p95", () => {
    expect(runHeadline(runRecord({ recommendation: RECOMMENDATION }), measured)).toEqual({
      ok: true, title: "Recommended: fx-30m at 60.0 tok/s aggregate, TTFT p95 900 ms", detail: "2 Stage 1 trials, 3 Stage 2 cells.",
    });
  });

  const failures: [string, string | null, string | null, string][] = [
    ["all_infeasible", "all_infeasible", "2025-06-01T10:01:30.000Z", "Run failed: all_infeasible (exit 3)"],
    ["stage2_no_feasible_cell", "stage2_no_feasible_cell", "2025-06-01T10:01:30.000Z", "Run failed: stage2_no_feasible_cell (exit 4)"],
    ["interrupted", "interrupted", "2025-06-01T10:01:30.000Z", "Run failed: interrupted (exit 130)"],
    ["pre_warm_integrity_failure", "pre_warm_integrity_failure", "2025-06-01T10:01:30.000Z", "Run failed: pre_warm_integrity_failure (exit 5)"],
    ["an exit reason from an older version", "load_timeout", "2025-06-01T10:01:30.000Z", "Run failed: load_timeout"],
    ["an unfinished run", null, null, "No recommendation: the run has not finished: it is still running, or its process was killed before recording an end"],
  ];
  test.each(failures)("runHeadline() says a run failed first: %s", (_, exitReason, finishedAt, title) => {
    const headline = runHeadline(runRecord({ exit_reason: exitReason, finished_at: finishedAt }), measured);
    expect(headline.ok).toBe(false);
    expect(headline.title).toBe(title);
    expect(headline.detail).toContain("2 Stage 1 trials, 3 Stage 2 cells.");
  });

  test("runHeadline() names what the exit reason means", () => {
    expect(runHeadline(runRecord({ exit_reason: "stage2_no_feasible_cell" }), { probes: 1, cells: 1 }).detail).toBe(
      "No recommendation: the chosen model passed Stage 1, but no Stage 2 cell was feasible. Measured before it ended: 1 Stage 1 trial, 1 Stage 2 cell.",
    );
  });
});
