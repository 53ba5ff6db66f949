import { describe, expect, test } from "bun:test";
import { planMigration } from "../../../lib/store/plan-migration.ts";
import { RunStoreError } from "../../../lib/store/run-store-error.ts";
import { RUNS_TABLE, STORE_INDEXES, STORE_SCHEMA_VERSION, TRIALS_TABLE } from "../../../lib/store/store-schema.ts";

const ALL_RUNS = RUNS_TABLE.columns.map((c) => c.name);
const ALL_TRIALS = TRIALS_TABLE.columns.map((c) => c.name);
const LEGACY_TRIALS = ["id", "run_id", "model", "threads", "fits", "n_err", "tps", "ttft_p95_ms", "load_ms", "kept", "notes", "created_at"];
const plan = (userVersion: number, columns: Record<string, string[]>) => planMigration({ path: "/db/autotune.db", userVersion, columns });
const bump = `PRAGMA user_version = ${STORE_SCHEMA_VERSION}`;

describe("planMigration()", () => {
  test("planMigration() creates both tables, the indexes and the version on an empty file", () => {
    const statements = plan(0, {});
    expect(statements[0]).toStartWith("CREATE TABLE IF NOT EXISTS tune_runs (run_id TEXT PRIMARY KEY, spec_version TEXT");
    expect(statements[1]).toStartWith("CREATE TABLE IF NOT EXISTS tune_trials (id INTEGER PRIMARY KEY AUTOINCREMENT");
    expect(statements.slice(2)).toEqual([...STORE_INDEXES, bump]);
  });

  test("planMigration() does nothing on a current store", () => {
    expect(plan(STORE_SCHEMA_VERSION, { tune_runs: ALL_RUNS, tune_trials: ALL_TRIALS })).toEqual([]);
  });

  test("planMigration() only adds the missing columns of a legacy store, stage defaulting to 1", () => {
    const statements = plan(0, { tune_runs: ["run_id", "started_at", "finished_at", "exit_reason"], tune_trials: LEGACY_TRIALS });
    const alters = statements.filter((s) => s.startsWith("ALTER TABLE"));
    expect(alters.length + STORE_INDEXES.length + 1).toBe(statements.length);
    expect(alters).toContain("ALTER TABLE tune_trials ADD COLUMN stage INTEGER NOT NULL DEFAULT 1 CHECK (stage IN (1, 2))");
    expect(alters).toContain("ALTER TABLE tune_trials ADD COLUMN kv_bits INTEGER CHECK (kv_bits IN (4, 8))");
    expect(alters).toContain("ALTER TABLE tune_runs ADD COLUMN recommendation TEXT");
    const added = alters.map((s) => s.split(" ")[5]);
    expect(added.sort()).toEqual(
      [...ALL_RUNS.filter((c) => !["run_id", "started_at", "finished_at", "exit_reason"].includes(c)), ...ALL_TRIALS.filter((c) => !LEGACY_TRIALS.includes(c))].sort(),
    );
    expect(statements.at(-1)).toBe(bump);
  });

  test("planMigration() creates a missing table beside an existing one", () => {
    const statements = plan(0, { tune_runs: ALL_RUNS });
    expect(statements[0]).toStartWith("CREATE TABLE IF NOT EXISTS tune_trials");
  });

  test("planMigration() refuses a newer store, naming the file and both versions", () => {
    expect(() => plan(STORE_SCHEMA_VERSION + 1, {})).toThrow(
      `cannot open the run store /db/autotune.db: its schema version is ${STORE_SCHEMA_VERSION + 1}, newer than ${STORE_SCHEMA_VERSION}`,
    );
  });

  test.each([
    ["tune_trials", "model", { tune_runs: ALL_RUNS, tune_trials: ALL_TRIALS.filter((c) => c !== "model") }],
    ["tune_runs", "started_at", { tune_runs: ALL_RUNS.filter((c) => c !== "started_at"), tune_trials: ALL_TRIALS }],
  ])("planMigration() refuses a %s without %s, which cannot be added", (table, column, columns) => {
    let error: unknown;
    try {
      plan(0, columns);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunStoreError);
    expect((error as RunStoreError).code).toBe("cannot_migrate");
    expect((error as Error).message).toBe(`cannot migrate the run store /db/autotune.db: table ${table} has no "${column}" column, which cannot be added to existing rows`);
  });
});
