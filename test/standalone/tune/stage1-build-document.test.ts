import { describe, expect, test } from "bun:test";
import { buildStage1Document } from "../../../lib/tune/stage1-build-document.ts";
import type { Stage1Trial } from "../../../lib/tune/stage1-document.ts";
import { stage1Summary } from "../../../lib/tune/stage1-summary.ts";
import { stage1TrialRow } from "../../../lib/tune/stage1-trial-row.ts";
import { stage1WalkOutcome } from "../../../lib/tune/stage1-walk-outcome.ts";
import { TUNE_SPEC_VERSION } from "../../../lib/tune/tune-documents.ts";
import { candidate, prewarmDoc } from "./stage1-test-docs.ts";

const trial = (model: string, size_b: number, rank: number, feasible: boolean, ttfts: number[], reason: string | null = null): Stage1Trial => ({
  model, size_b, rank, knobs: { max_context: 4096, max_batch: 1, threads: 2 }, ready: true, load_ms: 700,
  replicates: ttfts.map((t) => ({ ok: true, ttft_ms: t, completion_tokens: 16, decode_tps: 40 + t / 100, error: null, leaked: [] })),
  ttft_p95_ms: Math.max(...ttfts), n_err: 0, feasible, reason,
});

const prewarm = prewarmDoc([
  candidate("huge", { size_b: 70, status: "too_big", path: null, reason: "needs 40 GB" }),
  candidate("big", { size_b: 8 }),
  candidate("mid", { size_b: 3 }),
  candidate("small", { size_b: 1 }),
]);

describe("buildStage1Document()", () => {
  test("buildStage1Document() carries the run forward and names the selection", () => {
    const trials = [trial("big", 8, 2, false, [2500, 2600], "TTFT p95 2600 ms > gate 1500 ms"), trial("mid", 3, 3, true, [900.4, 1000.6])];
    const steps = [{ name: "huge", feasible: false, reason: "too big for this machine: needs 40 GB" }, ...trials.map((t) => ({ name: t.model, feasible: t.feasible, reason: t.reason }))];
    const doc = buildStage1Document({ prewarm, inputs: prewarm.inputs, db: "/data/a.db", trials, outcome: stage1WalkOutcome(prewarm.candidates, steps) });
    expect(doc).toMatchObject({
      stage: "stage1", spec_version: TUNE_SPEC_VERSION, run_id: "run-1", started_at: prewarm.started_at, db: "/data/a.db", machine: prewarm.machine,
      prewarm: prewarm.candidates,
      selected: { name: "mid", ref: "/models/mid.gguf", path: "/models/mid.gguf", size_b: 3, ttft_p95_ms: 1001, load_ms: 700 },
      infeasible: [{ model: "big", rank: 2, size_b: 8 }, { model: "huge", rank: 1, size_b: 70 }],
      alternates: ["small"],
      exit_reason: null,
    });
    expect(stage1Summary(doc, 12_345)).toBe("stage1: selected mid (3B): TTFT p95 1001 ms ≤ gate 1500 ms; larger infeasible: big, huge; smaller untested: small (2 probe(s), 12.3 s)");
  });

  test("buildStage1Document() ends the run as all_infeasible with the smallest first", () => {
    const trials = [trial("big", 8, 2, false, [2500], "slow big"), trial("mid", 3, 3, false, [2000], "slow mid"), trial("small", 1, 4, false, [1600], "slow small")];
    const steps = [{ name: "huge", feasible: false, reason: "too big" }, ...trials.map((t) => ({ name: t.model, feasible: false, reason: t.reason }))];
    const doc = buildStage1Document({ prewarm, inputs: prewarm.inputs, db: "/d", trials, outcome: stage1WalkOutcome(prewarm.candidates, steps) });
    expect(doc.selected).toBeNull();
    expect(doc.exit_reason).toBe("all_infeasible");
    expect(doc.infeasible.map((i) => i.model)).toEqual(["small", "mid", "big", "huge"]);
    expect(stage1Summary(doc, 1000)).toBe("stage1: nothing feasible — even small: slow small (3 probe(s), 1.0 s)");
  });

  test("buildStage1Document() marks an interrupted walk and selects nothing", () => {
    const trials = [trial("big", 8, 2, true, [100])];
    const doc = buildStage1Document({ prewarm, inputs: prewarm.inputs, db: "/d", trials, outcome: stage1WalkOutcome(prewarm.candidates, [{ name: "big", feasible: true, reason: null }]), interrupted: true });
    expect(doc).toMatchObject({ selected: null, alternates: [], exit_reason: "interrupted" });
    expect(stage1Summary(doc, 500)).toBe("stage1: interrupted after 1 probe(s) (0.5 s)");
  });
});

describe("stage1TrialRow()", () => {
  test("stage1TrialRow() records the probe's knobs, verdict and figures as a stage-1 row", () => {
    const t = { ...trial("big", 8, 2, false, [2500.4, 2600.6], "TTFT p95 2601 ms > gate 1500 ms"), ttft_p95_ms: 2600.6 };
    expect(stage1TrialRow("run-1", t, false, "2026-01-01T00:00:01.000Z")).toEqual({
      run_id: "run-1", stage: 1, model: "big", kv_bits: null, max_context_cap: 4096, max_batch: 1, threads: 2,
      fits: false, n_err: 0, replicates_n: 2, tps: 65.505, ttft_p95_ms: 2601, load_ms: 700, kept: false,
      notes: "TTFT p95 2601 ms > gate 1500 ms; TTFTs 2500, 2601 ms", created_at: "2026-01-01T00:00:01.000Z",
    });
  });

  test("stage1TrialRow() records a candidate that never became ready", () => {
    const t: Stage1Trial = { ...trial("big", 8, 2, false, [1], "not ready: serve exited (code 78)"), ready: false, load_ms: null, replicates: [], ttft_p95_ms: null, n_err: 1 };
    expect(stage1TrialRow("run-1", t, false, "now")).toMatchObject({ fits: false, n_err: 1, replicates_n: 0, tps: null, ttft_p95_ms: null, load_ms: null, notes: "not ready: serve exited (code 78)" });
  });
});
