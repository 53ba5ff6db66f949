import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import type { RunStore } from "../../../lib/store/run-store.ts";
import { STORE_SCHEMA_VERSION } from "../../../lib/store/store-schema.ts";
import { tempDir } from "../../helpers/fixtures.ts";
import { INPUTS, MACHINE, newRun, newTrial, recommendation } from "./store-fixtures.ts";

const open: RunStore[] = [];
function freshStore(): RunStore {
  const store = openRunStore(join(tempDir("macprovider-store-"), "nested", "autotune.db"));
  open.push(store);
  return store;
}
afterEach(() => open.splice(0).forEach((s) => s.close()));

describe("openRunStore()", () => {
  test("openRunStore() creates the folder, WAL mode and the current schema version", () => {
    const store = freshStore();
    expect(existsSync(store.path)).toBe(true);
    const db = new Database(store.path, { readonly: true });
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.query("PRAGMA user_version").get()).toEqual({ user_version: STORE_SCHEMA_VERSION });
    db.close();
  });

  test("openRunStore() refuses a file that is not a SQLite database, naming it", () => {
    const path = join(tempDir(), "notes.db");
    writeFileSync(path, "this is not a database, just some text that is long enough to have a header".repeat(10));
    expect(() => openRunStore(path)).toThrow(`cannot open the run store ${path}: the file is not a SQLite database`);
  });

  test("openRunStore() refuses a database newer than this code, naming the file and both versions", () => {
    const path = join(tempDir(), "future.db");
    const db = new Database(path, { create: true });
    db.run(`PRAGMA user_version = ${STORE_SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openRunStore(path)).toThrow(
      `cannot open the run store ${path}: its schema version is ${STORE_SCHEMA_VERSION + 5}, newer than ${STORE_SCHEMA_VERSION}`,
    );
  });
});

describe("RunStore", () => {
  test("createRun(), finishRun() and addTrial() round-trip through getRun()", () => {
    const store = freshStore();
    store.createRun(newRun("r1"));
    const full = newTrial("r1", {
      stage: 2, model: "fx-30m", kv_bits: 8, max_context_cap: 8192, max_batch: 2, threads: 4, flash_attention: "on", engine: "prebuilt",
      gpu: "off", gpu_layers: "max", fits: true, n_err: 0, replicates_n: 3, tps: 55.25, ttft_p95_ms: 410.5, load_ms: 1200, kept: false,
      notes: JSON.stringify({ drift: 0.02 }),
    });
    const fullId = store.addTrial(full);
    const bareId = store.addTrial(newTrial("r1", { stage: 1, fits: false, notes: "ttft over the gate" }));
    store.finishRun("r1", { finished_at: "2025-05-01T12:30:00.000Z", exit_reason: "completed", recipe_hash: "sha256:" + "a".repeat(64), recommendation: recommendation("fx-30m", 55.25) });

    const detail = store.getRun("r1")!;
    expect(detail.run).toEqual({
      run_id: "r1", spec_version: "1", started_at: "2025-05-01T12:00:00.000Z", finished_at: "2025-05-01T12:30:00.000Z", machine: MACHINE, inputs: INPUTS,
      exit_reason: "completed", recipe_hash: "sha256:" + "a".repeat(64), recommendation: recommendation("fx-30m", 55.25),
    });
    expect(detail.trials).toEqual([
      { ...full, id: fullId } as typeof detail.trials[number],
      {
        id: bareId, run_id: "r1", stage: 1, model: "fx-30m", kv_bits: null, max_context_cap: null, max_batch: null, threads: null, flash_attention: null,
        engine: null, gpu: null, gpu_layers: null, fits: false, n_err: 0, replicates_n: null, tps: null, ttft_p95_ms: null, load_ms: null, kept: false,
        notes: "ttft over the gate", created_at: "2025-05-01T12:01:00.000Z",
      },
    ]);
  });

  test("finishRun() stores NULL recipe_hash and recommendation when nothing was recommended", () => {
    const store = freshStore();
    store.createRun(newRun("r1"));
    store.finishRun("r1", { finished_at: "2025-05-01T12:30:00.000Z", exit_reason: "all_infeasible", recipe_hash: null, recommendation: null });
    expect(store.getRun("r1")!.run).toMatchObject({ exit_reason: "all_infeasible", recipe_hash: null, recommendation: null });
    expect(() => store.finishRun("r1", { finished_at: "x", exit_reason: "completed", recipe_hash: "sha256:x", recommendation: null })).toThrow(/recipe_hash "sha256:x" but no recommendation/);
  });

  test.each([
    ["createRun() twice", (s: RunStore) => s.createRun(newRun("r1")), `createRun: run "r1" already exists in`],
    ["finishRun() of an unknown run", (s: RunStore) => s.finishRun("nope", { finished_at: "x", exit_reason: "completed", recipe_hash: null, recommendation: null }), `finishRun: no run "nope" in`],
    ["addTrial() to an unknown run", (s: RunStore) => s.addTrial(newTrial("nope")), `addTrial: no run "nope" in`],
    ["addTrial() with stage 3", (s: RunStore) => s.addTrial(newTrial("r1", { stage: 3 as 1 })), "addTrial: stage must be 1 or 2, got 3"],
    ["markKept() of a stage-1 trial", (s: RunStore) => s.markKept("r1", s.addTrial(newTrial("r1"))), "is not a stage-2 trial of run \"r1\""],
    ["pruneRuns(-1)", (s: RunStore) => s.pruneRuns(-1), "pruneRuns: keep must be a non-negative integer, got -1"],
  ])("%s fails naming the action and the value", (_, act, message) => {
    const store = freshStore();
    store.createRun(newRun("r1"));
    expect(() => act(store)).toThrow(message);
  });

  test("getRun() of an unknown run is null", () => {
    expect(freshStore().getRun("nope")).toBeNull();
  });

  test("markKept() leaves exactly one kept stage-2 trial per run", () => {
    const store = freshStore();
    store.createRun(newRun("r1"));
    store.createRun(newRun("r2"));
    const [a, b, c] = [1, 2, 3].map((tps) => store.addTrial(newTrial("r1", { stage: 2, tps })));
    const other = store.addTrial(newTrial("r2", { stage: 2, kept: true }));
    const kept = (runId: string) => store.getRun(runId)!.trials.filter((t) => t.kept).map((t) => t.id);
    store.markKept("r1", a!);
    expect(kept("r1")).toEqual([a!]);
    store.markKept("r1", c!);
    expect(kept("r1")).toEqual([c!]);
    const d = store.addTrial(newTrial("r1", { stage: 2, kept: true }));
    expect(kept("r1")).toEqual([d]);
    expect(kept("r2")).toEqual([other]);
    expect(() => store.markKept("r2", b!)).toThrow(`markKept: trial ${b} is not a stage-2 trial of run "r2"`);
    expect(kept("r1")).toEqual([d]);
  });

  test("pruneRuns() deletes the oldest whole runs with their trials and keeps the newest N", () => {
    const store = freshStore();
    const starts = ["2025-05-03", "2025-05-01", "2025-05-05", "2025-05-02", "2025-05-04"];
    for (const [i, day] of starts.entries()) {
      store.createRun(newRun(`r${i}`, `${day}T00:00:00.000Z`));
      for (let t = 0; t < 3; t++) store.addTrial(newTrial(`r${i}`));
    }
    expect(store.pruneRuns(2)).toEqual(["r1", "r3", "r0"]);
    expect(store.listRuns().map((r) => r.run_id)).toEqual(["r2", "r4"]);
    const db = new Database(store.path, { readonly: true });
    expect(db.query("SELECT DISTINCT run_id FROM tune_trials ORDER BY run_id").all()).toEqual([{ run_id: "r2" }, { run_id: "r4" }]);
    db.close();
    expect(store.pruneRuns(5)).toEqual([]);
  });

  test("listRuns() is newest first with the recommended model, its tok/s and the exit reason", () => {
    const store = freshStore();
    store.createRun(newRun("old", "2025-05-01T00:00:00.000Z"));
    store.finishRun("old", { finished_at: "2025-05-01T01:00:00.000Z", exit_reason: "all_infeasible", recipe_hash: null, recommendation: null });
    store.createRun(newRun("new", "2025-05-02T00:00:00.000Z"));
    store.addTrial(newTrial("new", { stage: 2, model: "fx-30m", tps: 40, kept: true }));
    store.finishRun("new", { finished_at: "2025-05-02T01:00:00.000Z", exit_reason: "completed", recipe_hash: "sha256:x", recommendation: recommendation("fx-30m", 41.5) });
    store.createRun(newRun("running", "2025-05-03T00:00:00.000Z"));
    expect(store.listRuns()).toEqual([
      { run_id: "running", started_at: "2025-05-03T00:00:00.000Z", finished_at: null, model: null, tps: null, exit_reason: null, trials: 0 },
      { run_id: "new", started_at: "2025-05-02T00:00:00.000Z", finished_at: "2025-05-02T01:00:00.000Z", model: "fx-30m", tps: 41.5, exit_reason: "completed", trials: 1 },
      { run_id: "old", started_at: "2025-05-01T00:00:00.000Z", finished_at: "2025-05-01T01:00:00.000Z", model: null, tps: null, exit_reason: "all_infeasible", trials: 0 },
    ]);
    expect(store.listRuns(1).map((r) => r.run_id)).toEqual(["running"]);
  });
});
