/**
 * `scripts/stage2.ts` end to end: real serve subprocesses on a real fixture, a hand-made stage1
 * document (what Stage 1 would have chosen), a real run store. Axes are kept small so it stays fast.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import type { Stage1Document } from "../../../lib/tune/stage1-document.ts";
import type { Stage2Document } from "../../../lib/tune/stage2-document.ts";

const STAGE2 = join(REPO_ROOT, "scripts/stage2.ts");
/** Each test starts several providers one after another. */
const LONG = 120_000;
// One engine whatever builds this machine has (a local build would double the cells).
const SMALL = ["--engine-axis", "prebuilt", "--kv-bits-axis", "none,8", "--max-batch-axis", "1,2", "--threads-axis", "1", "--flash-attention-axis", "on", "--max-tokens", "8", "--stage2-replicates", "2"];
let work: string;
let model: { name: string; path: string; size_b: number };

beforeAll(async () => {
  model = await testFixture("fx-1m");
  work = tempDir("macprovider-stage2-");
});

function stage1Doc(name: string, over: Partial<Stage1Document> = {}): Stage1Document {
  return {
    stage: "stage1", spec_version: "1", run_id: `run-${name}`, started_at: "2026-11-30T12:00:00.000Z", db: join(work, `${name}.db`),
    inputs: { target_context: 1024, candidate_models: ["fx-8m", model.name], stage1_replicates: 2, stage2_replicates: 2, gate_ttft_ms: 5000, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 1e10, catalog: "test", models_dir: work },
    machine: { ram_gb: 23.5, chip: "test", os_version: "test", binary_version: "0.1.0", physical_cores: 2 },
    prewarm: [],
    selected: { name: model.name, ref: model.path, path: model.path, size_b: model.size_b, ttft_p95_ms: 50, load_ms: 100 },
    trials: [], infeasible: [{ model: "fx-8m", rank: 1, size_b: 0.008, reason: "TTFT p95 over the gate" }], alternates: [], exit_reason: null,
    ...over,
  };
}

async function stage2(input: Stage1Document | string, args: string[] = SMALL) {
  const proc = Bun.spawn([process.execPath, STAGE2, ...args], {
    env: isolatedEnv(), stdin: new TextEncoder().encode(typeof input === "string" ? input : JSON.stringify(input)), stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr, doc: code === 64 ? null : (JSON.parse(stdout) as Stage2Document) };
}

describe("scripts/stage2.ts", () => {
  test("stage2 recommends a measured cell, hashes the recipe and keeps exactly one trial row", async () => {
    const input = stage1Doc("ok");
    const { code, stderr, doc } = await stage2(input);
    expect(code).toBe(0);
    expect(doc!.exit_reason).toBe("completed");
    const rec = doc!.recommendation!;
    expect(rec.model).toBe("fx-1m");
    expect(rec.knobs.max_context_override).toBe(1024);
    expect(rec.tps_median).toBeGreaterThan(0);
    expect(rec.serve_command).toContain(`--model ${model.path}`);
    expect(doc!.recipe_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(doc!.inputs.axes).toMatchObject({ kv_bits: [null, 8], max_batch: [1, 2], threads: [1] });
    expect(doc!.cells.filter((c) => c.kept).length).toBe(1);
    expect(stderr).toContain("Recommended: fx-1m");
    expect(stderr).toMatch(/kv_bits (unset|8) · max_batch [12]/);
    expect(stderr).toContain("Larger, infeasible: fx-8m");

    const store = openRunStore(input.db);
    const run = store.getRun(input.run_id)!;
    store.close();
    expect(run.run.exit_reason).toBe("completed");
    expect(run.run.recipe_hash).toBe(doc!.recipe_hash);
    const kept = run.trials.filter((t) => t.kept);
    expect(kept.length).toBe(1);
    expect(kept[0]).toMatchObject({ stage: 2, max_batch: rec.knobs.max_concurrency_override, kv_bits: rec.knobs.kv_bits });
    // Every measured cell is a row, plus the anchor's row carrying the noise floor.
    expect(run.trials.length).toBe(doc!.search.cells_measured + 1);
    expect(JSON.parse(run.trials.at(-1)!.notes!)).toMatchObject({ noise_floor: doc!.search.noise_floor, search: "default" });
  }, LONG);

  test("--exhaustive measures every cell of the product every round", async () => {
    const { code, doc } = await stage2(stage1Doc("exhaustive"), [...SMALL, "--exhaustive", "--flash-attention-axis", "off,on", "--kv-bits-axis", "8", "--max-batch-axis", "1"]);
    expect(code).toBe(0);
    expect(doc!.search).toMatchObject({ mode: "exhaustive", cells_total: 2, cells_measured: 2 });
    expect(doc!.cells.every((c) => c.summary.replicates === 2)).toBe(true);
  }, LONG);

  test("an impossible gate ends with stage2_no_feasible_cell (exit 4) and each cell's reason", async () => {
    const input = stage1Doc("gate");
    input.inputs.gate_ttft_ms = 1;
    const { code, stderr, doc } = await stage2(input, [...SMALL, "--stage2-replicates", "1"]);
    expect(code).toBe(4);
    expect(doc!.exit_reason).toBe("stage2_no_feasible_cell");
    expect(doc!.recommendation).toBeNull();
    expect(doc!.recipe_hash).toBeNull();
    expect(doc!.cells.every((c) => c.summary.reason !== null)).toBe(true);
    expect(stderr).toContain("No recommendation (stage2_no_feasible_cell)");
  }, LONG);

  test("a stage1 document that ended upstream is handed on with its exit code", async () => {
    const { code, doc } = await stage2(stage1Doc("upstream", { selected: null, exit_reason: "all_infeasible" }));
    expect(code).toBe(3);
    expect((doc as unknown as Stage1Document).exit_reason).toBe("all_infeasible");
  }, LONG);

  test.each([
    ["an empty axis cell", ["--max-batch-axis", "1,,2"], "--max-batch-axis has an empty cell at position 2"],
    ["a context cap below the target", ["--max-context-axis", "512"], "--max-context-axis has a cap 512 below --target-context 1024"],
    ["a document that is not stage1", ["--max-batch-axis", "1"], 'expected "stage1"'],
  ])("stage2 refuses %s with exit 64 and one line", async (name, args, message) => {
    const input = name.startsWith("a document") ? JSON.stringify({ stage: "prewarm" }) : stage1Doc("bad");
    const { code, stderr } = await stage2(input, args);
    expect(code).toBe(64);
    expect(stderr).toContain(message);
    expect(stderr.trim().split("\n").length).toBe(1);
  }, LONG);
});
