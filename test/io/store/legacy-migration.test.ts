import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { STORE_SCHEMA_VERSION } from "../../../lib/store/store-schema.ts";
import { tempDir } from "../../helpers/fixtures.ts";
import { newRun, newTrial, writeLegacyStore } from "./store-fixtures.ts";

function legacyStorePath(): string {
  const path = join(tempDir("macprovider-legacy-"), "autotune.db");
  writeLegacyStore(path);
  return path;
}

const tableSql = (path: string) => {
  const db = new Database(path, { readonly: true });
  const rows = db.query("SELECT name, sql FROM sqlite_master ORDER BY name").all();
  const version = db.query("PRAGMA user_version").get();
  db.close();
  return { rows, version };
};

describe("openRunStore() on the original deployment's database", () => {
  test("openRunStore() migrates in place and keeps every row: old trials read as stage 1 with NULL knobs", () => {
    const path = legacyStorePath();
    const store = openRunStore(path);
    const old1 = store.getRun("old-1")!;
    expect(old1.run).toEqual({
      run_id: "old-1", spec_version: null, started_at: "2024-01-01T00:00:00Z", finished_at: "2024-01-01T00:10:00Z",
      machine: null, inputs: null, exit_reason: "completed", recipe_hash: null, recommendation: null,
    });
    expect(old1.trials.map((t) => [t.stage, t.model, t.threads, t.fits, t.n_err, t.tps, t.kept, t.notes])).toEqual([
      [1, "qwen-14b", 8, false, 2, null, false, "ttft over the gate"],
      [1, "qwen-7b", 8, true, 0, 21.5, true, null],
    ]);
    for (const t of old1.trials) expect([t.kv_bits, t.max_context_cap, t.max_batch, t.replicates_n, t.engine]).toEqual([null, null, null, null, null]);
    expect(store.getRun("old-2")!.trials).toHaveLength(1);
    // Legacy runs list their kept trial's model and tok/s, having no recommendation document.
    expect(store.listRuns().map((r) => [r.run_id, r.model, r.tps, r.exit_reason, r.trials])).toEqual([
      ["old-2", null, null, "all_infeasible", 1],
      ["old-1", "qwen-7b", 21.5, "completed", 2],
    ]);
    store.close();
  });

  test("openRunStore() adds columns only and is idempotent when opened again", () => {
    const path = legacyStorePath();
    openRunStore(path).close();
    const first = tableSql(path);
    expect(first.version).toEqual({ user_version: STORE_SCHEMA_VERSION });
    const trialsSql = String((first.rows as { name: string; sql: string }[]).find((r) => r.name === "tune_trials")!.sql);
    // The original definition is still there, the new columns appended after it.
    expect(trialsSql).toStartWith("CREATE TABLE tune_trials (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL");
    expect(trialsSql).toContain("stage INTEGER NOT NULL DEFAULT 1");
    openRunStore(path).close();
    expect(tableSql(path)).toEqual(first);
    const store = openRunStore(path);
    expect(store.listRuns()).toHaveLength(2);
    expect(store.getRun("old-1")!.trials).toHaveLength(2);
    store.close();
  });

  test("a migrated store takes new runs and explicit-stage trials beside the old rows", () => {
    const path = legacyStorePath();
    const store = openRunStore(path);
    store.createRun(newRun("new-1", "2025-05-01T00:00:00.000Z"));
    const id = store.addTrial(newTrial("new-1", { stage: 2, kv_bits: 4, max_context_cap: 8192, max_batch: 2, tps: 30 }));
    store.markKept("new-1", id);
    expect(store.getRun("new-1")!.trials[0]).toMatchObject({ id, stage: 2, kv_bits: 4, max_context_cap: 8192, max_batch: 2, kept: true });
    expect(store.getRun("old-1")!.trials.filter((t) => t.kept)).toHaveLength(1);
    expect(store.pruneRuns(1)).toEqual(["old-1", "old-2"]);
    store.close();
  });
});
