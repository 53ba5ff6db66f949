/**
 * ERR-1/ERR-2 through the composed run: each exit reason autotune can end with, its exit code, and the
 * run row that records it. Small fixtures and one-cell axes keep it quick.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { corruptCopies, REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";

const LONG = 120_000;
const ONE_CELL = ["--kv-bits-axis", "none", "--threads-axis", "1", "--flash-attention-axis", "on", "--max-tokens", "8", "--stage2-replicates", "1"];
let work: string;
let good: string;
let bad: string;

beforeAll(async () => {
  work = tempDir("macprovider-exits-");
  const fx = await testFixture("fx-8m");
  good = join(work, "good.yaml");
  writeFileSync(good, `candidates:\n  - { name: fx-8m, model: ${fx.path}, size_b: 0.008 }\n`);
  const broken = corruptCopies((await testFixture("fx-1m")).path, tempDir()).truncated;
  bad = join(work, "bad.yaml");
  writeFileSync(bad, `candidates:\n  - { name: broken, model: ${broken}, size_b: 0.001 }\n`);
});

function spawnAutotune(name: string, args: string[]) {
  const db = join(work, `${name}.db`);
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), "autotune", "--target-context", "1024", "--threads", "1", "--json", "--db", db, "--run-id", `run-${name}`, ...args], {
    env: isolatedEnv({ MACPROVIDER_PROCESS_ROOT: String(process.pid) }), stdout: "pipe", stderr: "pipe",
  });
  return { proc, db };
}

async function autotune(name: string, args: string[]) {
  const { proc, db } = spawnAutotune(name, args);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const store = openRunStore(db);
  const row = store.getRun(`run-${name}`)?.run ?? null;
  store.close();
  return { code, stderr, doc: JSON.parse(stdout), row };
}

describe("autotune exit reasons (ERR-1)", () => {
  const cases: [string, () => string[], number, string][] = [
    ["completed", () => ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "1"], 0, "completed"],
    ["pre_warm_integrity_failure", () => ["--catalog", bad], 5, "pre_warm_integrity_failure"],
    ["all_infeasible", () => ["--catalog", good, "--gate-ttft-ms", "1"], 3, "all_infeasible"],
    // 64 streams of an 827-token prompt cannot all see a first token within 6 s on this class of machine.
    ["stage2_no_feasible_cell", () => ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "64"], 4, "stage2_no_feasible_cell"],
    ["config_error", () => ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "0"], 64, "config_error"],
    ["apply_failed", () => ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "1", "--apply", "--config", join(good, "config.yaml")], 7, "apply_failed"],
  ];
  test.each(cases)("%s: its exit code, stored on the run row and in the JSON", async (name, args, code, reason) => {
    const r = await autotune(name, args());
    expect(r.code).toBe(code);
    expect(r.doc.exit_reason).toBe(reason);
    expect(r.row?.exit_reason).toBe(reason);
  }, LONG);
});

describe("autotune when a stage dies", () => {
  test("a stage killed from outside (the OOM killer, kill -9) ends the run as internal_error, exit 70", async () => {
    const { proc, db } = spawnAutotune("killed", ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "1,2,4"]);
    let stage: number | null = null;
    for (let i = 0; i < 600 && stage === null; i++) {
      stage = childRunning(proc.pid, "stage2");
      if (stage === null) await Bun.sleep(100);
    }
    expect(stage).not.toBeNull();
    process.kill(stage!, "SIGKILL");
    const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(70);
    expect(JSON.parse(stdout)).toMatchObject({ exit_reason: "internal_error" });
    const store = openRunStore(db);
    expect(store.getRun("run-killed")?.run.exit_reason).toBe("internal_error");
    store.close();
  }, LONG);
});

/** The pid of `parent`'s child whose command line names `word`, or null. */
function childRunning(parent: number, word: string): number | null {
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(readFileSync(`/proc/${d}/status`, "utf8"))?.[1]);
      if (ppid === parent && readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").includes(word)) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

describe("autotune --apply", () => {
  test("autotune --apply writes the recipe into the config file and reports where", async () => {
    const config = join(work, "cfg", "config.yaml");
    const r = await autotune("apply-ok", ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "1", "--apply", "--config", config]);
    expect(r.code).toBe(0);
    expect(r.doc.apply).toMatchObject({ config });
    const text = readFileSync(config, "utf8");
    expect(text).toContain(`model: ${r.doc.recommendation.model_path}`);
    expect(text).toContain("max_concurrency_override: 1");
    expect(text).not.toContain("kv_bits"); // unset = F16: the key is absent
  }, LONG);
});

describe("autotune and signals (ERR-2)", () => {
  test("SIGTERM during Stage 2 stops the candidate, records interrupted, exits 130 and leaves no provider running", async () => {
    const { proc, db } = spawnAutotune("signal", ["--catalog", good, ...ONE_CELL, "--max-batch-axis", "1,2,4", "--stage2-replicates", "3"]);
    let err = "";
    const reader = proc.stderr.getReader();
    while (!err.includes("round 1/")) {
      const { value, done } = await reader.read();
      if (done) break;
      err += new TextDecoder().decode(value);
    }
    expect(err).toContain("round 1/");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(130);
    const store = openRunStore(db);
    expect(store.getRun("run-signal")?.run.exit_reason).toBe("interrupted");
    store.close();
    expect(serveProcessesUnder(work)).toEqual([]);
  }, LONG);
});

/** serve processes still alive whose command line names a fixture under `dir` or the test fixtures. */
function serveProcessesUnder(dir: string): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      return cmd.includes("serve.ts") && (cmd.includes(dir) || cmd.includes("--no-join")) && existsSync(`/proc/${d}`) ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}
