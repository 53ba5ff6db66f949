/**
 * `scripts/stage1.ts` end to end: real serve subprocesses on real fixture models, hand-made prewarm
 * documents (the prewarm stage is not needed), a real run store.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { corruptCopies, REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import type { Stage1Document } from "../../../lib/tune/stage1-document.ts";
import type { PrewarmCandidate, PrewarmDocument } from "../../../lib/tune/tune-documents.ts";
import { candidate, prewarmDoc } from "../../standalone/tune/stage1-test-docs.ts";

const STAGE1 = join(REPO_ROOT, "scripts/stage1.ts");
let fx1m: PrewarmCandidate;
let fx8m: PrewarmCandidate;
let work: string;

beforeAll(async () => {
  const [a, b] = [await testFixture("fx-1m"), await testFixture("fx-8m")];
  fx1m = candidate("fx-1m", { ref: a.path, path: a.path, size_b: a.size_b });
  fx8m = candidate("fx-8m", { ref: b.path, path: b.path, size_b: b.size_b });
  work = tempDir("macprovider-stage1-");
});

/** A prewarm document over `candidates` (walk order), recorded in a fresh store; small context, 2 replicates, 1 thread. */
function doc(name: string, candidates: PrewarmCandidate[], extra: Partial<PrewarmDocument> = {}): PrewarmDocument {
  const base = prewarmDoc(candidates, { run_id: `run-${name}`, db: join(work, `${name}.db`), ...extra });
  return { ...base, inputs: { ...base.inputs, target_context: 1024, stage1_replicates: 2, gate_ttft_ms: 2000 } };
}

async function stage1(input: PrewarmDocument | string, args: string[] = []) {
  const proc = Bun.spawn([process.execPath, STAGE1, "--threads", "1", ...args], {
    env: isolatedEnv(), stdin: new TextEncoder().encode(typeof input === "string" ? input : JSON.stringify(input)), stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr, stdout, doc: code === 64 ? null : (JSON.parse(stdout) as Stage1Document) };
}

function storedRun(db: string, runId: string) {
  const store = openRunStore(db);
  try {
    return store.getRun(runId);
  } finally {
    store.close();
  }
}

describe("stage1.ts", () => {
  test("stage1.ts picks the small fixture first in a small-first order, and records the probe", async () => {
    const input = doc("small-first", [fx1m, fx8m]);
    const { code, doc: out, stderr } = await stage1(input);
    expect(code).toBe(0);
    expect(out!.selected).toMatchObject({ name: "fx-1m", path: fx1m.path, size_b: fx1m.size_b });
    expect(out!.selected!.ttft_p95_ms).toBeLessThanOrEqual(2000);
    expect(out!).toMatchObject({ stage: "stage1", run_id: "run-small-first", exit_reason: null, infeasible: [], alternates: [] });
    expect(out!.trials).toHaveLength(1);
    expect(out!.trials[0]).toMatchObject({ model: "fx-1m", rank: 1, ready: true, feasible: true, knobs: { max_context: 1024, max_batch: 1, threads: 1 } });
    expect(out!.trials[0]!.replicates.map((r) => [r.ok, r.completion_tokens, r.leaked])).toEqual([[true, 16, []], [true, 16, []]]);
    expect(stderr).toContain("[1/2] fx-1m");
    expect(stderr).toContain("replicate 2/2");
    expect(stderr).toContain("stage1: selected fx-1m");

    const run = storedRun(input.db, input.run_id)!;
    expect(run.run.finished_at).toBeNull(); // Stage 2 finishes a run that goes on
    expect(run.trials.map((t) => [t.stage, t.model, t.fits, t.kept, t.replicates_n, t.max_context_cap, t.max_batch, t.threads])).toEqual([[1, "fx-1m", true, true, 2, 1024, 1, 1]]);
  });

  test("stage1.ts with an impossible gate exits 3, all_infeasible, led by the smallest whatever the walk order", async () => {
    const huge = candidate("fx-huge", { size_b: 70, status: "too_big", path: null, reason: "needs 40 GB, budget 16 GB" });
    const input = doc("impossible", [fx1m, huge, fx8m]);
    const { code, doc: out, stderr } = await stage1(input, ["--gate-ttft-ms", "1"]);
    expect(code).toBe(3);
    expect(out!).toMatchObject({ selected: null, exit_reason: "all_infeasible", alternates: [] });
    expect(out!.infeasible.map((i) => [i.model, i.rank])).toEqual([["fx-1m", 1], ["fx-8m", 3], ["fx-huge", 2]]);
    expect(out!.infeasible[0]!.reason).toBe("replicate 1/2 failed: no first token within 3 ms");
    expect(out!.inputs.gate_ttft_ms).toBe(1);
    expect(stderr).toContain("even fx-1m: replicate 1/2 failed: no first token within 3 ms");

    const run = storedRun(input.db, input.run_id)!;
    expect(run.run.exit_reason).toBe("all_infeasible");
    expect(run.run.recipe_hash).toBeNull();
    expect(run.trials.map((t) => [t.model, t.fits, t.n_err])).toEqual([["fx-1m", false, 1], ["fx-8m", false, 1]]);
  });

  test("stage1.ts records too_big, transient and integrity candidates without loading them, and skips a provider that dies while starting", async () => {
    const broken = corruptCopies(fx1m.path!, tempDir());
    const input = doc("skips", [
      candidate("fx-too-big", { size_b: 70, status: "too_big", path: "/nonexistent/too-big.gguf", reason: "needs 40 GB, budget 16 GB" }),
      candidate("fx-offline", { size_b: 30, status: "transient", path: null, reason: "download timed out" }),
      candidate("fx-corrupt", { size_b: 25, status: "integrity", path: broken.flippedMagic, reason: "bad GGUF magic" }),
      candidate("fx-broken", { size_b: 20, status: "warmed", path: broken.truncated }),
      fx8m,
      fx1m,
    ]);
    const { code, doc: out } = await stage1(input);
    expect(code).toBe(0);
    expect(out!.selected!.name).toBe("fx-8m");
    expect(out!.trials.map((t) => t.model)).toEqual(["fx-broken", "fx-8m"]);
    expect(out!.trials[0]).toMatchObject({ ready: false, load_ms: null, feasible: false, n_err: 1 });
    const reasons = Object.fromEntries(out!.infeasible.map((i) => [i.model, i.reason]));
    expect(reasons["fx-too-big"]).toBe("too big for this machine: needs 40 GB, budget 16 GB");
    expect(reasons["fx-offline"]).toBe("pre-warm failed (transient): download timed out");
    expect(reasons["fx-corrupt"]).toBe("integrity failure: bad GGUF magic");
    expect(reasons["fx-broken"]).toStartWith("not ready: serve exited (code 78) before it was ready");
    expect(out!.alternates).toEqual(["fx-1m"]);
  });

  test("stage1.ts passes a pre_warm_integrity_failure document on with exit 5", async () => {
    const input = doc("integrity", [candidate("fx-bad", { status: "integrity", reason: "bad GGUF magic" }), fx1m], { exit_reason: "pre_warm_integrity_failure" });
    const { code, stdout } = await stage1(input);
    expect(code).toBe(5);
    expect(JSON.parse(stdout)).toEqual(input);
  });

  test("stage1.ts refuses a malformed document with one line and exit 64", async () => {
    const { code, stdout, stderr } = await stage1(JSON.stringify({ stage: "prewarm", run_id: "x" }));
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("malformed prewarm document: spec_version must be a non-empty string");
  });

  test("stage1.ts run twice on the same saved document selects the same candidate", async () => {
    const input = doc("rerun", [fx8m, fx1m]);
    const saved = join(work, "prewarm-rerun.json");
    writeFileSync(saved, JSON.stringify(input));
    const first = await stage1("", ["--in", saved]);
    const second = await stage1("", ["--in", saved]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.doc!.selected!.name).toBe(first.doc!.selected!.name);
    expect(first.doc!.selected!.name).toBe("fx-8m");
    expect(second.doc!.alternates).toEqual(first.doc!.alternates);
    // One run row, a trial row per probe.
    expect(storedRun(input.db, input.run_id)!.trials.map((t) => t.model)).toEqual(["fx-8m", "fx-8m"]);
  });

  test("stage1.ts on SIGTERM stops the candidate in flight, records the run as interrupted and exits 130", async () => {
    // A copy with a path of its own, so a leftover provider would be found by its command line.
    const own = join(tempDir(), "fx-8m-sigterm.gguf");
    copyFileSync(fx8m.path!, own);
    const input = doc("sigterm", [candidate("fx-8m", { ...fx8m, path: own })]);
    const proc = Bun.spawn([process.execPath, STAGE1, "--threads", "1", "--stage1-replicates", "50"], {
      env: isolatedEnv(), stdin: new TextEncoder().encode(JSON.stringify(input)), stdout: "pipe", stderr: "pipe",
    });
    let stderr = "";
    const reader = (async () => {
      for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
    })();
    while (!stderr.includes("replicate 1/50") && proc.exitCode === null) await Bun.sleep(50);
    proc.kill("SIGTERM");
    const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    await reader;
    expect(code).toBe(130);
    expect((JSON.parse(stdout) as Stage1Document)).toMatchObject({ exit_reason: "interrupted", selected: null, trials: [] });
    expect(storedRun(input.db, input.run_id)!.run.exit_reason).toBe("interrupted");
    expect(processesMentioning(own)).toEqual([]);
  });
});

/** Pids of live processes whose command line contains `text`. */
function processesMentioning(text: string): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
    } catch {
      return false; // exited meanwhile
    }
  }).map(Number);
}
