/**
 * `macprovider runs show ID --html` and `runs report` as subprocesses on a store written by hand:
 * the page is self-contained, draws what the store holds, and loads in headless Chromium with no
 * console message and no network request.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { CHROMIUM, loadInChromium, NO_CHROMIUM } from "./chromium.ts";
import { countMarks, countPanelMarks, selfContainedProblems } from "./page-checks.ts";
import { CUT, DONE, EXPECTED_MARKS, SERVE_COMMAND, writeReportStore } from "./report-fixtures.ts";

const LONG = 60_000;
let work: string;
let db: string;

async function runs(args: string[], cwd = REPO_ROOT) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), "runs", ...args], { cwd, env: isolatedEnv(), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

/** The marks the completed run's page must draw, counted in `html`. */
function marks(html: string) {
  return {
    stage1Bars: countMarks(html, "stage1_bars"),
    stage1Labels: countMarks(html, "stage1_labels"),
    cellBars: countPanelMarks(html, "cell_bars"),
    cellLabels: countPanelMarks(html, "cell_labels"),
    replicateTicks: countPanelMarks(html, "replicate_ticks"),
    noiseBands: countPanelMarks(html, "noise_band"),
    ttftBars: countPanelMarks(html, "ttft_bars"),
    ttftGates: countPanelMarks(html, "ttft_gate"),
  };
}

let donePage: string;

beforeAll(async () => {
  work = tempDir("macprovider-report-");
  db = join(work, "autotune.db");
  writeReportStore(db);
  donePage = join(work, "done.html");
  const { code, stdout, stderr } = await runs(["show", DONE, "--html", "--out", donePage, "--db", db]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(stdout).toBe(donePage + "\n");
}, LONG);

describe("macprovider runs show --html / runs report", () => {
  test("runs show ID --html writes one self-contained page: no script, nothing to fetch", () => {
    const html = readFileSync(donePage, "utf8");
    expect(selfContainedProblems(html)).toEqual([]);
    expect(html.match(/<svg\b/g)?.length).toBe(3);
  });

  test("runs show ID --html leads with the recommendation: model, tok/s, TTFT, recipe hash, serve command", () => {
    const html = readFileSync(donePage, "utf8");
    const h1 = /<h1>(.*?)<\/h1>/.exec(html)![1];
    expect(h1).toBe("Recommended: fx-30m at 44.0 tok/s aggregate, TTFT p95 320 ms");
    expect(html).toContain(`<code>${SERVE_COMMAND}</code>`);
    expect(html).toContain("sha256:" + "a".repeat(64));
    expect(html).toContain("kv_bits 8 · max_batch 1 · max_context 4096 · threads 4 · flash_attention on · engine prebuilt");
    expect(html.indexOf("Recommended: fx-30m")).toBeLessThan(html.indexOf('id="stage1"'));
  });

  test("runs show ID --html draws a mark per candidate, cell, replicate and panel the store holds", () => {
    expect(marks(readFileSync(donePage, "utf8"))).toEqual(EXPECTED_MARKS);
  });

  test("runs show ID --html gives every candidate its status and every infeasible cell its reason", () => {
    const html = readFileSync(donePage, "utf8");
    for (const [name, status] of [["fx-250m", "skipped before loading"], ["fx-80m", "infeasible"], ["fx-30m", "chosen"], ["fx-8m", "untested"]]) {
      expect(html).toMatch(new RegExp(`<td>${name}</td><td>${status}</td>`));
    }
    expect(html).toContain("TTFT p95 2600 ms is over the 2000 ms gate");
    expect(html).toContain("2 of 2 replicate(s) failed: serve exited with code 134");
    expect(html).toContain("<strong>max_batch</strong> (23.0 tok/s between its values), <strong>kv_bits</strong> (7.0 tok/s between its values)");
  });

  test("runs report writes the newest run; a failed one says so first and shows what was measured", async () => {
    const { code, stdout } = await runs(["report", "--db", db], work);
    expect(code).toBe(0);
    const path = join(work, `macprovider-run-${CUT}.html`);
    expect(stdout).toBe(path + "\n");
    const html = readFileSync(path, "utf8");
    expect(/<h1>(.*?)<\/h1>/.exec(html)![1]).toBe("Run failed: interrupted (exit 130)");
    expect(html).toContain("Measured before it ended: 1 Stage 1 trial, 0 Stage 2 cells.");
    expect(html).toContain("not ready within 60000 ms");
    expect(countMarks(html, "stage1_labels")).toBe(4);
    expect(countMarks(html, "stage1_bars")).toBe(0);
    expect(html.match(/<svg\b/g)?.length).toBe(1);
  }, LONG);

  const refusals: [string, string[], string][] = [
    ["--out without --html", ["show", DONE, "--out", "x.html"], 'runs show: --out "x.html" needs --html'],
    ["--html with --json", ["show", DONE, "--html", "--json"], "runs show: pass either --html or --json, not both"],
    ["an unknown run", ["show", "nope", "--html"], 'runs show: no run "nope"'],
  ];
  test.each(refusals)("runs show refuses %s (exit 64, one line)", async (_, args, message) => {
    const { code, stderr } = await runs([...args, "--db", db]);
    expect(code).toBe(64);
    expect(stderr).toContain(message);
  }, LONG);

  test("runs report on a store with no run is exit 64 naming the store, and writes nothing", async () => {
    const empty = join(work, "none.db");
    const { code, stderr } = await runs(["report", "--db", empty, "--out", join(work, "none.html")]);
    expect(code).toBe(64);
    expect(stderr).toContain(`runs report: no run in ${empty} yet`);
    expect(existsSync(join(work, "none.html"))).toBe(false);
  }, LONG);

  test("runs report into a missing folder is one line naming the file (exit 73)", async () => {
    const out = join(work, "missing", "r.html");
    const { code, stderr } = await runs(["report", "--db", db, "--out", out]);
    expect(code).toBe(73);
    expect(stderr).toContain(`runs: cannot write the report: ENOENT on ${out}`);
  }, LONG);
});

describe.skipIf(!CHROMIUM)(`the report in headless Chromium${CHROMIUM ? "" : ` (skipped: ${NO_CHROMIUM})`}`, () => {
  test("loadInChromium() sees a console message and a network request when a page makes them", async () => {
    const control = join(work, "control.html");
    writeFileSync(control, '<!doctype html><p>control</p><img src="http://example.invalid/x.png"><script>console.error("boom")</script>');
    const page = await loadInChromium(control);
    expect(page.console.join("\n")).toContain('"boom"');
    expect(page.pageRequests).toEqual(["http://example.invalid/x.png"]);
  }, LONG);

  test("the report loads with no console message and no network request, and the browser's DOM has every mark", async () => {
    const page = await loadInChromium(donePage);
    expect(page.console).toEqual([]);
    expect(page.pageRequests).toEqual([]);
    expect(page.dom).toContain("Recommended: fx-30m at 44.0 tok/s aggregate, TTFT p95 320 ms");
    expect(page.dom.match(/<svg\b/g)?.length).toBe(3);
    expect(marks(page.dom)).toEqual(EXPECTED_MARKS);
  }, LONG);
});
