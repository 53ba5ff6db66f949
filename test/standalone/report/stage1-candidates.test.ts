import { describe, expect, test } from "bun:test";
import type { TrialRecord } from "../../../lib/store/run-store.ts";
import { stage1Candidates, type CandidateStatus } from "../../../lib/report/stage1-candidates.ts";
import { runRecord, trial } from "./report-details.ts";

const statuses = (exitReason: string | null, trials: TrialRecord[]) =>
  stage1Candidates(runRecord({ exit_reason: exitReason }), trials).map((c) => [c.name, c.status] as [string, CandidateStatus]);

describe("stage1Candidates()", () => {
  const cases: [string, string | null, TrialRecord[], [string, CandidateStatus][]][] = [
    [
      "marks a candidate passed before a probe skipped, and those after the chosen one untested",
      "completed",
      [trial({ model: "fx-80m", notes: "over the gate" }), trial({ model: "fx-30m", fits: true, kept: true })],
      [["fx-250m", "skipped"], ["fx-80m", "infeasible"], ["fx-30m", "chosen"], ["fx-8m", "untested"]],
    ],
    [
      "marks every unprobed candidate skipped when the walk went through all of them (all_infeasible)",
      "all_infeasible",
      [trial({ model: "fx-80m" }), trial({ model: "fx-30m" })],
      [["fx-250m", "skipped"], ["fx-80m", "infeasible"], ["fx-30m", "infeasible"], ["fx-8m", "skipped"]],
    ],
    [
      "reads a pre-warm row's status from its notes and leaves the rest not reached (integrity failure)",
      "pre_warm_integrity_failure",
      [trial({ model: "fx-80m", notes: "pre-warm integrity: bad GGUF magic" })],
      [["fx-250m", "not_reached"], ["fx-80m", "integrity"], ["fx-30m", "not_reached"], ["fx-8m", "not_reached"]],
    ],
    [
      "marks the candidates after the last probe not reached when the run was interrupted",
      "interrupted",
      [trial({ model: "fx-250m", notes: "not ready within 60000 ms" })],
      [["fx-250m", "infeasible"], ["fx-80m", "not_reached"], ["fx-30m", "not_reached"], ["fx-8m", "not_reached"]],
    ],
  ];
  test.each(cases)("stage1Candidates() %s", (_, exitReason, trials, expected) => {
    expect(statuses(exitReason, trials)).toEqual(expected);
  });

  test("stage1Candidates() keeps the probe's figures and its reason, and ignores stage-2 rows", () => {
    const [, fx80] = stage1Candidates(runRecord(), [
      trial({ model: "fx-80m", ttft_p95_ms: 3100, load_ms: 900, notes: "TTFT p95 3100 ms is over the 2000 ms gate" }),
      trial({ model: "fx-80m", stage: 2, fits: true }),
    ]);
    expect(fx80).toEqual({ name: "fx-80m", rank: 2, status: "infeasible", ttftP95Ms: 3100, loadMs: 900, tps: null, reason: "TTFT p95 3100 ms is over the 2000 ms gate" });
  });

  test("stage1Candidates() lists the trials of a run stored without inputs, unranked", () => {
    const views = stage1Candidates(runRecord({ inputs: null }), [trial({ model: "qwen-7b", fits: true, kept: true })]);
    expect(views.map((v) => [v.name, v.rank, v.status])).toEqual([["qwen-7b", null, "chosen"]]);
  });
});
