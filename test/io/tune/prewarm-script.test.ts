import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import type { PrewarmDocument } from "../../../lib/tune/tune-documents.ts";
import { corruptCopies, REPO_ROOT, tempDir, testFixture, TEST_FIXTURES_DIR } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { serveModelFile, serveSlowly } from "./model-file-server.ts";

/** Runs `bun scripts/<script> ARGS` as a real subprocess with a temp HOME and the test fixtures cache. */
async function runStage(script: string, args: string[], env = isolatedEnv({ MACPROVIDER_FIXTURES_DIR: TEST_FIXTURES_DIR })) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts", script), ...args], { cwd: tempDir(), env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code, env };
}

function writeCatalog(dir: string, entries: string[]): string {
  const path = join(dir, "catalog.yaml");
  writeFileSync(path, `candidates:\n${entries.map((e) => `  - ${e}\n`).join("")}`);
  return path;
}

describe("scripts/prewarm.ts", () => {
  test("prewarm walks a catalog in --candidate-models order, prints its document and records the run", async () => {
    await Promise.all([testFixture("fx-1m"), testFixture("fx-8m")]);
    const catalog = writeCatalog(tempDir(), ["{name: fx-8m, model: fixture:fx-8m, size_b: 0.008}", "{name: fx-1m, model: fixture:fx-1m, size_b: 0.001}"]);
    const args = ["--catalog", catalog, "--candidate-models", "fx-1m,fx-8m", "--target-context", "4096", "--run-id", "run-a"];
    const { stdout, stderr, code, env } = await runStage("prewarm.ts", args);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as PrewarmDocument;
    expect(doc).toMatchObject({ stage: "prewarm", spec_version: "1", run_id: "run-a", exit_reason: null });
    expect(doc.inputs).toMatchObject({ target_context: 4096, candidate_models: ["fx-1m", "fx-8m"], stage1_replicates: 2, stage2_replicates: 3, gate_ttft_ms: 2000, tps_tie_epsilon: 0.03, axes: {}, catalog });
    expect(doc.inputs.models_dir).toBe(join(env.XDG_DATA_HOME!, "macprovider", "models"));
    expect(doc.machine.binary_version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version);
    expect(doc.candidates.map((c) => [c.name, c.status, c.path])).toEqual([
      ["fx-1m", "warmed", join(TEST_FIXTURES_DIR, "fx-1m.gguf")],
      ["fx-8m", "warmed", join(TEST_FIXTURES_DIR, "fx-8m.gguf")],
    ]);
    expect(stderr).toContain("[1/2] fx-1m");
    expect(stderr).toContain("[2/2] fx-8m warmed");
    expect(doc.db).toBe(join(env.XDG_DATA_HOME!, "macprovider", "autotune.db"));
    const store = openRunStore(doc.db);
    expect(store.getRun("run-a")).toMatchObject({ run: { run_id: "run-a", finished_at: null, inputs: doc.inputs }, trials: [] });
    store.close();

    const again = await runStage("prewarm.ts", args, env); // the stage rerun alone under the same run id
    expect(again.code).toBe(0);
  });

  test("prewarm exits 5 with its document on a corrupted model and records the failed trial", async () => {
    const dir = tempDir();
    corruptCopies((await testFixture("fx-1m")).path, dir);
    const catalog = writeCatalog(dir, [
      "{name: good, model: fixture:fx-1m, size_b: 0.002}",
      "{name: cut, model: truncated.gguf, size_b: 0.001}",
      "{name: never, model: intact.gguf, size_b: 0.0005}",
    ]);
    const { stdout, stderr, code } = await runStage("prewarm.ts", ["--catalog", catalog, "--run-id", "run-b"]);
    expect(code).toBe(5);
    const doc = JSON.parse(stdout) as PrewarmDocument;
    expect(doc.exit_reason).toBe("pre_warm_integrity_failure");
    expect(doc.candidates.map((c) => [c.name, c.status])).toEqual([["good", "warmed"], ["cut", "integrity"]]); // the run is over
    expect(doc.candidates[1]!.reason).toContain("tensor_out_of_bounds");
    expect(stderr).toContain("[2/3] cut integrity");
    const store = openRunStore(doc.db);
    const run = store.getRun("run-b")!;
    expect(run.run.exit_reason).toBe("pre_warm_integrity_failure");
    expect(run.trials).toMatchObject([{ stage: 1, model: "cut", fits: false, max_context_cap: 8192, max_batch: 1 }]);
    expect(run.trials[0]!.notes).toContain("pre-warm integrity: model file");
    store.close();
  });

  test("prewarm on the default fixtures catalog marks candidates over --memory-budget too_big", async () => {
    await testFixture("fx-30m");
    const { stdout, code } = await runStage("prewarm.ts", ["--candidate-models", "fx-30m", "--memory-budget", "64M"]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as PrewarmDocument;
    expect(doc.inputs).toMatchObject({ catalog: "fixtures", candidate_models: ["fx-30m"], memory_budget_bytes: 64 * 2 ** 20 });
    expect(doc.candidates[0]).toMatchObject({ name: "fx-30m", status: "too_big", load_ms: null });
  });

  test("prewarm stopped by SIGINT mid-download exits 130, records the run as interrupted and leaves no partial file", async () => {
    const slow = serveSlowly(readFileSync((await testFixture("fx-1m")).path), 4096, 50);
    try {
      const modelsDir = tempDir("macprovider-models-");
      const catalog = writeCatalog(tempDir(), [`{name: slow, model: "${slow.url}/slow.gguf", size_b: 1}`]);
      const env = isolatedEnv({ MACPROVIDER_FIXTURES_DIR: TEST_FIXTURES_DIR });
      const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts", "prewarm.ts"), "--catalog", catalog, "--models-dir", modelsDir, "--run-id", "run-c"], { env, stdout: "pipe", stderr: "pipe" });
      const stdout = new Response(proc.stdout).text();
      for (let waited = 0; !readdirSync(modelsDir).some((n) => n.startsWith(".download-")); waited += 20) {
        if (waited > 10_000) throw new Error("the download never started");
        await Bun.sleep(20);
      }
      await Bun.sleep(300); // bytes are arriving
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(130);
      const doc = JSON.parse(await stdout) as PrewarmDocument;
      expect(doc).toMatchObject({ exit_reason: "interrupted", candidates: [] });
      expect(readdirSync(modelsDir)).toEqual([]);
      const store = openRunStore(doc.db);
      expect(store.getRun("run-c")!.run.exit_reason).toBe("interrupted");
      store.close();
    } finally {
      slow.stop();
    }
  });

  test.each([
    [["--candidate-models", "fx-1b,,fx-30m"], /--candidate-models has an empty cell at position 2/],
    [["--candidate-models", "fx-30m,fx-30m"], /--candidate-models lists "fx-30m" twice \(positions 1 and 2\)/],
    [["--candidate-models", "fx-2b"], /"fx-2b" at position 1 is not in the catalog fixtures/],
    [["--catalog", "/nonexistent/catalog.yaml"], /--catalog: cannot read the catalog file \/nonexistent\/catalog.yaml: ENOENT/],
    [["--memory-budget", "lots"], /--memory-budget must be a byte count/],
  ])("prewarm %j is a one-line usage error (exit 64) and prints no document", async (args, message) => {
    const { stdout, stderr, code } = await runStage("prewarm.ts", args);
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n").length).toBe(1);
  });
});

describe("scripts/pull.ts", () => {
  const bytesPromise = testFixture("fx-1m").then((f) => readFileSync(f.path));
  let server: ReturnType<typeof serveModelFile> | undefined;
  afterAll(() => server?.stop());

  test("pull downloads a URL into --models-dir and reuses it the second time", async () => {
    server = serveModelFile(await bytesPromise);
    const modelsDir = tempDir("macprovider-models-");
    const first = await runStage("pull.ts", [`${server.url}/fx-1m.gguf`, "--models-dir", modelsDir]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ path: join(modelsDir, "fx-1m.gguf"), source: "downloaded", architecture: "llama", bytes: (await bytesPromise).length });
    const requests = server.requests.length;
    const second = await runStage("pull.ts", [`${server.url}/fx-1m.gguf`, "--models-dir", modelsDir]);
    expect(JSON.parse(second.stdout).source).toBe("reused");
    expect(server.requests.length).toBe(requests);
    expect(readdirSync(modelsDir)).toEqual(["fx-1m.gguf"]);
  });

  test("pull exits 75 on an HTTP 500 and 5 on a truncated local file", async () => {
    server ??= serveModelFile(await bytesPromise);
    const failed = await runStage("pull.ts", [`${server.url}/fail`]);
    expect(failed.code).toBe(75);
    expect(failed.stderr).toContain("transient: HTTP 500");
    const dir = tempDir();
    const { truncated } = corruptCopies((await testFixture("fx-1m")).path, dir);
    const bad = await runStage("pull.ts", [truncated]);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("integrity: model file");
  });
});
