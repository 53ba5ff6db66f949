/**
 * Which statements bring an existing database up to this code's schema (DB-2): additive only —
 * CREATE TABLE / INDEX IF NOT EXISTS and ALTER TABLE ADD COLUMN — so every existing row is kept.
 */
import { RunStoreError } from "./run-store-error.ts";
import { createTableSql, STORE_INDEXES, STORE_SCHEMA_VERSION, STORE_TABLES } from "./store-schema.ts";

export type FoundSchema = {
  /** The database file, for messages. */
  path: string;
  /** Its `PRAGMA user_version`. */
  userVersion: number;
  /** Column names of each table present; a missing table has no entry. */
  columns: Readonly<Record<string, readonly string[]>>;
};

/** Returns the statements to run in one transaction, ending with the version bump; [] when up to date. */
export function planMigration(found: FoundSchema): string[] {
  if (found.userVersion > STORE_SCHEMA_VERSION) {
    throw new RunStoreError(
      "newer_schema",
      `cannot open the run store ${found.path}: its schema version is ${found.userVersion}, newer than ${STORE_SCHEMA_VERSION}, the newest this macprovider knows; use a newer macprovider or another --db`,
    );
  }
  const statements: string[] = [];
  for (const table of STORE_TABLES) {
    const present = found.columns[table.name];
    if (!present) {
      statements.push(createTableSql(table));
      continue;
    }
    const have = new Set(present.map((name) => name.toLowerCase()));
    for (const column of table.columns.filter((c) => !have.has(c.name))) {
      if (column.add === null) {
        throw new RunStoreError(
          "cannot_migrate",
          `cannot migrate the run store ${found.path}: table ${table.name} has no "${column.name}" column, which cannot be added to existing rows`,
        );
      }
      statements.push(`ALTER TABLE ${table.name} ADD COLUMN ${column.name} ${column.add}`);
    }
  }
  if (statements.length === 0 && found.userVersion === STORE_SCHEMA_VERSION) return [];
  return [...statements, ...STORE_INDEXES, `PRAGMA user_version = ${STORE_SCHEMA_VERSION}`];
}
