import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { REPO_ROOT, tempDir } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { newRun, newTrial, recommendation } from "./store-fixtures.ts";

const RUNS = join(REPO_ROOT, "scripts", "runs.ts");

async function runs(args: string[], env = isolatedEnv()) {
  const proc = Bun.spawn([process.execPath, RUNS, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

let db: string;
/** run-new's trials by name. */
const ids: Record<string, number> = {};

beforeAll(() => {
  db = join(tempDir("macprovider-runs-"), "autotune.db");
  const store = openRunStore(db);
  store.createRun(newRun("run-old", "2025-05-01T08:00:00.000Z"));
  store.addTrial(newTrial("run-old", { model: "fx-80m", fits: false, notes: "ttft p95 3100 ms over the gate" }));
  store.finishRun("run-old", { finished_at: "2025-05-01T08:05:00.000Z", exit_reason: "all_infeasible", recipe_hash: null, recommendation: null });
  store.createRun(newRun("run-new", "2025-05-02T09:30:00.000Z"));
  ids.s1Big = store.addTrial(newTrial("run-new", { model: "fx-80m", fits: false, notes: "over the gate" }));
  ids.s1Chosen = store.addTrial(newTrial("run-new", { model: "fx-30m", fits: true, tps: 20, ttft_p95_ms: 300 }));
  ids.s2Kv8 = store.addTrial(newTrial("run-new", { stage: 2, model: "fx-30m", kv_bits: 8, max_batch: 1, tps: 31.5 }));
  ids.s2Winner = store.addTrial(newTrial("run-new", { stage: 2, model: "fx-30m", kv_bits: 4, max_batch: 2, tps: 44.25, ttft_p95_ms: 640 }));
  ids.s2Slow = store.addTrial(newTrial("run-new", { stage: 2, model: "fx-30m", max_batch: 4, tps: 12 }));
  store.markKept("run-new", ids.s2Winner);
  store.finishRun("run-new", { finished_at: "2025-05-02T09:40:00.000Z", exit_reason: "completed", recipe_hash: "sha256:" + "b".repeat(64), recommendation: recommendation("fx-30m", 44.25) });
  store.close();
});

describe("scripts/runs.ts", () => {
  test("runs prints one line per run, newest first, on stdout", async () => {
    const { stdout, code } = await runs(["--db", db]);
    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([
      "id       when                  model   tok/s  exit reason",
      "run-new  2025-05-02 09:30 UTC  fx-30m  44.3   completed",
      "run-old  2025-05-01 08:00 UTC  -       -      all_infeasible",
      "",
    ]);
  });

  test("runs --limit 1 --json prints the newest run's summary", async () => {
    const { stdout, code } = await runs(["--limit", "1", "--json", "--db", db]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { run_id: "run-new", started_at: "2025-05-02T09:30:00.000Z", finished_at: "2025-05-02T09:40:00.000Z", model: "fx-30m", tps: 44.25, exit_reason: "completed", trials: 5 },
    ]);
  });

  test("runs show ID prints the inputs, the machine and the trials by stage then tok/s, the kept one marked", async () => {
    const { stdout, code } = await runs(["show", "run-new", "--db", db]);
    expect(code).toBe(0);
    expect(stdout).toContain("run run-new");
    expect(stdout).toContain("machine      16 GB RAM, Test CPU, 4 cores");
    expect(stdout).toContain("inputs       target context 8192, candidates fx-80m,fx-30m,fx-8m, gate 2000 ms");
    expect(stdout).toContain(`recommended  fx-30m at 44.3 tok/s (recipe sha256:${"b".repeat(64)})`);
    const trialLines = stdout.split("\n").filter((l) => /^[* ] +\d+ +[12] /.test(l));
    expect(trialLines.map((l) => l.trim().split(/ +/).slice(0, 3))).toEqual([
      [String(ids.s1Chosen), "1", "fx-30m"],
      [String(ids.s1Big), "1", "fx-80m"],
      ["*", String(ids.s2Winner), "2"],
      [String(ids.s2Kv8), "2", "fx-30m"],
      [String(ids.s2Slow), "2", "fx-30m"],
    ]);
  });

  test("runs show ID --json prints the {run, trials} document", async () => {
    const { stdout, code } = await runs(["show", "run-new", "--json", "--db", db]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(["run", "trials"]);
    expect(doc.run).toMatchObject({ run_id: "run-new", exit_reason: "completed", recommendation: { model: "fx-30m" } });
    expect(doc.trials.map((t: { id: number; kept: boolean }) => [t.id, t.kept])).toEqual([
      [ids.s1Chosen, false], [ids.s1Big, false], [ids.s2Winner, true], [ids.s2Kv8, false], [ids.s2Slow, false],
    ]);
  });

  test("runs show of an unknown id is one line on stderr and exit 64", async () => {
    const { stdout, stderr, code } = await runs(["show", "nope", "--db", db]);
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`runs show: no run "nope" in ${db}`);
  });

  test("runs without a store says no runs yet and does not create it", async () => {
    const env = isolatedEnv();
    const { stdout, code } = await runs([], env);
    expect([stdout, code]).toEqual(["no runs yet\n", 0]);
    expect(existsSync(join(env.XDG_DATA_HOME!, "macprovider", "autotune.db"))).toBe(false);
    expect((await runs(["--json"], env)).stdout).toBe("[]\n");
  });

  test("runs reads the default store under $XDG_DATA_HOME", async () => {
    const env = isolatedEnv();
    const path = join(env.XDG_DATA_HOME!, "macprovider", "autotune.db");
    const store = openRunStore(path);
    store.createRun(newRun("run-home"));
    store.close();
    expect((await runs([], env)).stdout).toContain("run-home");
  });

  test.each([
    ["--limit 0", ["--limit", "0"], 64, "--limit must be an integer from 1 up, got \"0\""],
    ["an unknown flag", ["--lmit", "2"], 64, "runs: unknown option --lmit"],
    ["a file that is not a database", ["--db", "NOT_A_DB"], 78, "the file is not a SQLite database"],
  ])("runs with %s is one line and its exit code", async (_, args, exitCode, message) => {
    const notDb = join(tempDir(), "text.db");
    mkdirSync(join(notDb, ".."), { recursive: true });
    writeFileSync(notDb, "plain text, not SQLite ".repeat(40));
    const { stderr, code } = await runs(args.map((a) => (a === "NOT_A_DB" ? notDb : a)));
    expect(code).toBe(exitCode);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
