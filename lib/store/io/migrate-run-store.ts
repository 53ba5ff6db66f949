/** Brings an open database to this code's schema in one transaction (DB-2), or refuses a newer one. */
import type { Database } from "bun:sqlite";
import { planMigration, type FoundSchema } from "../plan-migration.ts";
import { STORE_TABLES } from "../store-schema.ts";

export function migrateRunStore(db: Database, path: string): void {
  // Most opens find the schema current: only a store that needs changes takes the write lock.
  if (planMigration(readSchema(db, path)).length === 0) return;
  // Planned again under the lock: another process may have migrated it meanwhile.
  db.transaction(() => {
    for (const statement of planMigration(readSchema(db, path))) db.run(statement);
  }).immediate();
}

function readSchema(db: Database, path: string): FoundSchema {
  const { user_version } = db.query("PRAGMA user_version").get() as { user_version: number };
  const names = STORE_TABLES.map((t) => t.name);
  const rows = db
    .query(
      `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
       WHERE m.type = 'table' AND m.name IN (${names.map(() => "?").join(", ")})`,
    )
    .all(...names) as { tbl: string; col: string }[];
  const columns: Record<string, string[]> = {};
  for (const { tbl, col } of rows) (columns[tbl] ??= []).push(col);
  return { path, userVersion: user_version, columns };
}
