/**
 * The report of real autotune runs on fx-8m/fx-1m (the real stages of `scripts/cli.ts` piped, two
 * Stage 2 cells): written by `runs report`, self-contained, and in headless Chromium loaded with no
 * console message and no network request, the recommendation shown and a mark drawn per measured thing.
 * The stages are piped rather than run as `autotune`, which would stop any `serve` already running on
 * the machine (CON-2): the same runs and rows, without touching other processes.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunDetail } from "../../../lib/store/run-store.ts";
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { CHROMIUM, loadInChromium, NO_CHROMIUM } from "../../io/report/chromium.ts";
import { countMarks, countPanelMarks, selfContainedProblems } from "../../io/report/page-checks.ts";

const LONG = 120_000;
// One engine whatever builds this machine has (a local build would double the cells).
const TWO_CELLS = ["--engine-axis", "prebuilt", "--kv-bits-axis", "none", "--max-batch-axis", "1,2", "--threads-axis", "1", "--flash-attention-axis", "on", "--max-tokens", "8", "--stage2-replicates", "1"];
let work: string;
let catalog: string;

async function cli(args: string[], stdin?: string) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), ...args], {
    env: isolatedEnv(), stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

/** prewarm | stage1 | stage2 into its own store, then `runs report`; returns the page and the `runs show --json` document. */
async function tuneAndReport(name: string, prewarmFlags: string[], stage2Flags: string[] | null): Promise<{ path: string; html: string; detail: RunDetail }> {
  const db = ["--db", join(work, `${name}.db`)];
  const pre = await cli(["prewarm", "--catalog", catalog, "--target-context", "1024", ...prewarmFlags, ...db]);
  const s1 = await cli(["stage1", "--threads", "1", ...db], pre.stdout);
  expect([pre.code, s1.code]).toEqual([0, stage2Flags === null ? 3 : 0]);
  if (stage2Flags !== null) expect((await cli(["stage2", ...stage2Flags, ...db], s1.stdout)).code).toBe(0);
  const path = join(work, `${name}.html`);
  const report = await cli(["runs", "report", ...db, "--out", path]);
  expect({ code: report.code, stdout: report.stdout }).toEqual({ code: 0, stdout: path + "\n" });
  const runId = JSON.parse((await cli(["runs", "--json", ...db])).stdout)[0].run_id;
  const detail = JSON.parse((await cli(["runs", "show", runId, "--json", ...db])).stdout) as RunDetail;
  return { path, html: readFileSync(path, "utf8"), detail };
}

/** What the page must draw, counted from the store's rows (not from the report's code). */
function expectedMarks(detail: RunDetail) {
  const cells = detail.trials.filter((t) => t.stage === 2 && !String(t.notes).includes('"anchor"'));
  const reps = cells.flatMap((t) => (JSON.parse(t.notes!).tps as (number | null)[]).filter((v) => v !== null));
  return {
    stage1Bars: detail.trials.filter((t) => t.stage === 1 && t.ttft_p95_ms !== null).length,
    stage1Labels: detail.run.inputs!.candidate_models.length,
    cellBars: cells.filter((t) => t.tps !== null).length,
    replicateTicks: reps.length,
    ttftBars: cells.filter((t) => t.ttft_p95_ms !== null).length,
  };
}

function marks(html: string) {
  return {
    stage1Bars: countMarks(html, "stage1_bars"),
    stage1Labels: countMarks(html, "stage1_labels"),
    cellBars: countPanelMarks(html, "cell_bars"),
    replicateTicks: countPanelMarks(html, "replicate_ticks"),
    ttftBars: countPanelMarks(html, "ttft_bars"),
  };
}

let done: Awaited<ReturnType<typeof tuneAndReport>>;
let failed: Awaited<ReturnType<typeof tuneAndReport>>;

beforeAll(async () => {
  const [a, b] = [await testFixture("fx-8m"), await testFixture("fx-1m")];
  work = tempDir("macprovider-report-model-");
  catalog = join(work, "catalog.yaml");
  writeFileSync(catalog, `candidates:\n  - { name: fx-8m, model: ${a.path}, size_b: 0.008 }\n  - { name: fx-1m, model: ${b.path}, size_b: 0.001 }\n`);
  done = await tuneAndReport("done", [], TWO_CELLS);
  failed = await tuneAndReport("infeasible", ["--gate-ttft-ms", "1"], null);
}, 2 * LONG);

describe("the report of a real fixture run", () => {
  test("a completed run's report is self-contained and leads with its recommendation and serve command", () => {
    const rec = done.detail.run.recommendation!;
    expect(selfContainedProblems(done.html)).toEqual([]);
    expect(/<h1>(.*?)<\/h1>/.exec(done.html)![1]).toStartWith(`Recommended: fx-8m at ${(rec.tps_median as number).toFixed(1)} tok/s aggregate`);
    expect(done.html).toContain(String(rec.serve_command));
    expect(done.html).toContain(done.detail.run.recipe_hash!);
  });

  test("a completed run's report draws a bar per probe and cell and a tick per replicate the store holds", () => {
    const cells = done.detail.trials.filter((t) => t.stage === 2 && !String(t.notes).includes('"anchor"'));
    expect(cells.length).toBe(2);
    // A cell whose streams all failed on a busy machine has no bar: the counts come from the rows.
    expect(marks(done.html)).toEqual(expectedMarks(done.detail));
    expect(countPanelMarks(done.html, "cell_labels")).toBe(2);
    expect(countPanelMarks(done.html, "ttft_gate")).toBe(1);
  });

  test("an all_infeasible run's report says so first and shows both probes against the gate", () => {
    expect(selfContainedProblems(failed.html)).toEqual([]);
    expect(/<h1>(.*?)<\/h1>/.exec(failed.html)![1]).toBe("Run failed: all_infeasible (exit 3)");
    expect(failed.html).toContain("Measured before it ended: 2 Stage 1 trials, 0 Stage 2 cells.");
    expect(marks(failed.html)).toEqual(expectedMarks(failed.detail));
    expect(countMarks(failed.html, "stage1_gate")).toBe(1);
  });
});

describe.skipIf(!CHROMIUM)(`the fixture run's report in headless Chromium${CHROMIUM ? "" : ` (skipped: ${NO_CHROMIUM})`}`, () => {
  test("the completed run's report loads with no console message and no network request, every mark in the DOM", async () => {
    const screenshot = join(work, "report-screenshot.png");
    const page = await loadInChromium(done.path, { screenshot });
    expect(page.console).toEqual([]);
    expect(page.pageRequests).toEqual([]);
    expect(page.dom).toContain("Recommended: fx-8m");
    expect(marks(page.dom)).toEqual(expectedMarks(done.detail));
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG");
  }, LONG);

  test("the failed run's report loads clean too, its failure the first heading", async () => {
    const page = await loadInChromium(failed.path);
    expect(page.console).toEqual([]);
    expect(page.pageRequests).toEqual([]);
    expect(/<h1>(.*?)<\/h1>/.exec(page.dom)![1]).toBe("Run failed: all_infeasible (exit 3)");
  }, LONG);
});
