/**
 * `scripts/autotune.ts` end to end on a two-fixture catalog: the composed run against the same stages
 * piped by hand, and `--dry-run` touching nothing.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";

const LONG = 120_000;
// One cell, so the recipe cannot depend on measurement noise: the plumbing is what is compared.
const ONE_CELL = ["--kv-bits-axis", "none", "--max-batch-axis", "1", "--threads-axis", "1", "--flash-attention-axis", "on", "--max-tokens", "8", "--stage2-replicates", "1"];
let catalog: string;
let work: string;

beforeAll(async () => {
  const [a, b] = [await testFixture("fx-8m"), await testFixture("fx-1m")];
  work = tempDir("macprovider-autotune-");
  catalog = join(work, "catalog.yaml");
  writeFileSync(catalog, `candidates:\n  - { name: fx-8m, model: ${a.path}, size_b: 0.008 }\n  - { name: fx-1m, model: ${b.path}, size_b: 0.001 }\n`);
});

async function cli(args: string[], stdin?: string, env = isolatedEnv()) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), ...args], { env, stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("macprovider autotune", () => {
  test("autotune composes prewarm → stage1 → stage2 and picks the same recipe as the stages piped by hand", async () => {
    const common = ["--catalog", catalog, "--target-context", "1024", "--threads", "1"];
    const composed = await cli(["autotune", ...common, ...ONE_CELL, "--json", "--db", join(work, "composed.db")]);
    expect(composed.code).toBe(0);
    const doc = JSON.parse(composed.stdout);
    expect(doc).toMatchObject({ stage: "stage2", exit_reason: "completed", recommendation: { model: "fx-8m" }, alternates: ["fx-1m"] });

    const db = ["--db", join(work, "piped.db")];
    const pre = await cli(["prewarm", ...common.slice(0, 4), ...db]);
    const s1 = await cli(["stage1", "--threads", "1", ...db], pre.stdout);
    const s2 = await cli(["stage2", ...ONE_CELL, ...db], s1.stdout);
    expect([pre.code, s1.code, s2.code]).toEqual([0, 0, 0]);
    const piped = JSON.parse(s2.stdout);
    // The parts of the hash first, so a mismatch says which one differs.
    const identity = (d: { recommendation: { model: string; knobs: unknown }; machine?: unknown }) => ({ model: d.recommendation.model, knobs: d.recommendation.knobs });
    expect(identity(piped)).toEqual(identity(doc));
    expect(piped.recipe_hash).toBe(doc.recipe_hash);
  }, LONG);

  test("autotune prints the recommendation block with the serve command", async () => {
    const { code, stdout } = await cli(["autotune", "--catalog", catalog, "--target-context", "1024", "--threads", "1", ...ONE_CELL, "--db", join(work, "block.db")]);
    expect(code).toBe(0);
    expect(stdout).toContain("Recommended: fx-8m");
    expect(stdout).toContain("kv_bits unset");
    expect(stdout).toMatch(/macprovider serve --model \S+fx-8m\.gguf --max-context 1024 --max-batch 1 --threads 1/);
  }, LONG);

  test("autotune ends with all_infeasible (exit 3) when nothing passes the gate, led by the smallest", async () => {
    const { code, stdout } = await cli(["autotune", "--catalog", catalog, "--target-context", "1024", "--threads", "1", "--gate-ttft-ms", "1", "--json", "--db", join(work, "infeasible.db")]);
    expect(code).toBe(3);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ stage: "stage1", exit_reason: "all_infeasible" });
    expect(doc.infeasible[0].model).toBe("fx-1m");
  }, LONG);

  test("autotune --dry-run prints the plan and starts, downloads, writes and records nothing", async () => {
    const env = isolatedEnv();
    const home = env.HOME!;
    const before = readdirSync(home);
    const { code, stdout } = await cli(["autotune", "--dry-run", "--catalog", catalog, "--target-context", "1024"], undefined, env);
    expect(code).toBe(0);
    expect(stdout).toContain("Dry run: nothing is started, downloaded, written or recorded.");
    expect(stdout).toMatch(/1\. fx-8m \(0\.008 B\) .*fx-8m\.gguf — 0\.\d\d GiB, fits/);
    expect(stdout).toContain("kv=none fa=off t=1 b=1 ctx=1024 prebuilt");
    expect(readdirSync(home).filter((f) => f !== ".cache")).toEqual(before.filter((f) => f !== ".cache")); // Bun's own transpiler cache aside
    expect(existsSync(join(env.XDG_DATA_HOME!, "macprovider"))).toBe(false);
  }, LONG);

  test("autotune --dry-run --json is the plan as a document", async () => {
    const { code, stdout } = await cli(["autotune", "--dry-run", "--json", "--catalog", catalog, "--target-context", "1024", "--max-batch-axis", "1,2"]);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ dry_run: true, target_context: 1024, stages: ["prewarm", "stage1", "stage2"] });
    expect(plan.candidates.map((c: { name: string }) => c.name)).toEqual(["fx-8m", "fx-1m"]);
    expect(plan.axes.max_batch).toEqual([1, 2]);
  }, LONG);

  test("autotune refuses a bad axis before anything runs (exit 64, one line)", async () => {
    const { code, stderr } = await cli(["autotune", "--catalog", catalog, "--max-batch-axis", "1,,2", "--dry-run"]);
    expect(code).toBe(64);
    expect(stderr).toContain("--max-batch-axis has an empty cell at position 2");
  }, LONG);
});
