import { describe, expect, test } from "bun:test";
import { autotunePlan, renderPlan } from "../../../lib/tune/autotune-plan.ts";
import { defaultStage2Axes } from "../../../lib/tune/parse-stage2-axes.ts";
import { stageArgv } from "../../../lib/tune/stage-argv.ts";

describe("stageArgv()", () => {
  const args = { catalog: "fixtures", "gate-ttft-ms": "1500", threads: "1", "max-batch-axis": "1,2", db: "/tmp/x.db", exhaustive: true, verbose: true, json: true, "dry-run": false };
  test.each([
    ["prewarm", ["--catalog", "fixtures", "--gate-ttft-ms", "1500", "--db", "/tmp/x.db", "--verbose"]],
    ["stage1", ["--threads", "1", "--db", "/tmp/x.db", "--verbose"]],
    ["stage2", ["--max-batch-axis", "1,2", "--db", "/tmp/x.db", "--exhaustive", "--verbose"]],
  ] as const)("stageArgv(%p) passes on exactly the flags that stage takes", (stage, argv) => {
    expect(stageArgv(stage, args)).toEqual([...argv]);
  });
});

describe("autotunePlan()", () => {
  const axes = defaultStage2Axes({ targetContext: 4096, cores: 1, engines: ["prebuilt"] });
  const plan = autotunePlan({
    catalog: "fixtures", targetContext: 4096, gateTtftMs: 2000, memoryBudgetBytes: 1000, axes, apply: true,
    walk: [{ name: "big", model: "fixture:fx-1b", size_b: 1 }, { name: "mid", model: "/m/mid.gguf", size_b: 0.5 }, { name: "far", model: "hf:a/b:Q4_K_M", size_b: 0.1 }],
    facts: [{ localPath: "/f/fx-1b.gguf", estimateBytes: 5000 }, { localPath: "/m/mid.gguf", estimateBytes: 900 }, { localPath: null, estimateBytes: null }],
  });

  test("autotunePlan() judges each candidate against the budget, or says it is not local yet", () => {
    expect(plan.candidates.map((c) => c.verdict)).toEqual(["too_big", "fits", "unknown until made local"]);
  });

  test("autotunePlan() lists the default search's first cells and the exhaustive count", () => {
    expect(plan.cells.length).toBe(3 * 2 + 2 * 3); // F16 × FA off/on, Q8/Q4 FA on; × batch 1,2,4; 1 thread
    expect(plan.cells_exhaustive).toBe(18);
    expect(plan.stages).toEqual(["prewarm", "stage1", "stage2", "apply"]);
  });

  test("renderPlan() says nothing is touched and lists candidates in walk order", () => {
    const text = renderPlan(plan);
    expect(text.split("\n")[0]).toBe("Dry run: nothing is started, downloaded, written or recorded.");
    expect(text).toMatch(/1\. big .*too_big\n\s+2\. mid .*fits\n\s+3\. far .*unknown until made local/);
  });
});
