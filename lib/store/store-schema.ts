/**
 * The run store's schema (DB-1), one column table per SQLite table. `create` is the column's
 * definition in a new database; `add` is how an older table gains it with ALTER TABLE ADD COLUMN
 * (SQLite needs a default for NOT NULL there), or null where a table without it cannot be migrated.
 */

/** `PRAGMA user_version` of a database this code wrote. The original deployment left it at 0. */
export const STORE_SCHEMA_VERSION = 2;

export type ColumnDef = { name: string; create: string; add: string | null };
export type TableDef = { name: string; columns: readonly ColumnDef[] };

const col = (name: string, create: string, add: string | null = create): ColumnDef => ({ name, create, add });

export const RUNS_TABLE: TableDef = {
  name: "tune_runs",
  columns: [
    col("run_id", "TEXT PRIMARY KEY", null),
    col("spec_version", "TEXT"),
    col("started_at", "TEXT NOT NULL", null),
    col("finished_at", "TEXT"),
    col("machine", "TEXT"),
    col("inputs", "TEXT"),
    col("exit_reason", "TEXT"),
    col("recipe_hash", "TEXT"),
    col("recommendation", "TEXT"),
  ],
};

export const TRIALS_TABLE: TableDef = {
  name: "tune_trials",
  columns: [
    col("id", "INTEGER PRIMARY KEY AUTOINCREMENT", null),
    col("run_id", "TEXT NOT NULL", null),
    // New rows must say their stage; rows from before the column existed were all stage 1.
    col("stage", "INTEGER NOT NULL CHECK (stage IN (1, 2))", "INTEGER NOT NULL DEFAULT 1 CHECK (stage IN (1, 2))"),
    col("model", "TEXT NOT NULL", null),
    col("kv_bits", "INTEGER CHECK (kv_bits IN (4, 8))"),
    col("max_context_cap", "INTEGER"),
    col("max_batch", "INTEGER"),
    col("threads", "INTEGER"),
    col("flash_attention", "TEXT"),
    col("engine", "TEXT"),
    col("gpu", "TEXT"),
    col("gpu_layers", "TEXT"),
    col("fits", "INTEGER NOT NULL", "INTEGER NOT NULL DEFAULT 0"),
    col("n_err", "INTEGER NOT NULL DEFAULT 0"),
    col("replicates_n", "INTEGER"),
    col("tps", "REAL"),
    col("ttft_p95_ms", "REAL"),
    col("load_ms", "REAL"),
    col("kept", "INTEGER NOT NULL DEFAULT 0"),
    col("notes", "TEXT"),
    col("created_at", "TEXT NOT NULL", "TEXT"),
  ],
};

export const STORE_TABLES: readonly TableDef[] = [RUNS_TABLE, TRIALS_TABLE];

/** Indexes, created after every column exists. The partial unique index holds S2-5 in the database itself. */
export const STORE_INDEXES: readonly string[] = [
  "CREATE INDEX IF NOT EXISTS tune_trials_run_id ON tune_trials (run_id)",
  "CREATE UNIQUE INDEX IF NOT EXISTS tune_trials_one_kept ON tune_trials (run_id) WHERE kept = 1 AND stage = 2",
  "CREATE INDEX IF NOT EXISTS tune_runs_started_at ON tune_runs (started_at)",
];

export function createTableSql(table: TableDef): string {
  return `CREATE TABLE IF NOT EXISTS ${table.name} (${table.columns.map((c) => `${c.name} ${c.create}`).join(", ")})`;
}
