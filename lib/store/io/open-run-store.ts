/**
 * Opens (creating or migrating) the autotune run store (DB-1, DB-2): SQLite in WAL mode with a busy
 * timeout, so several processes can write at once without corrupting it or losing rows.
 */
import { Database, SQLiteError } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { RunStoreError } from "../run-store-error.ts";
import type { RunStore } from "../run-store.ts";
import { migrateRunStore } from "./migrate-run-store.ts";
import { sqliteRunStore } from "./sqlite-run-store.ts";

/** How long a writer waits for another process's write to finish before failing. */
export const BUSY_TIMEOUT_MS = 10_000;

/** Opens the store at `path` (creating its folder and file when missing); the caller closes it. */
export function openRunStore(path: string): RunStore {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new RunStoreError("cannot_open", `cannot create the folder of the run store ${path}: ${e.code ?? e.message}`);
  }
  let db: Database | undefined;
  try {
    db = new Database(path, { create: true, strict: true });
    // The timeout first: switching to WAL and migrating may wait for another opener.
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    enableWal(db);
    migrateRunStore(db, path);
    return sqliteRunStore(db, path);
  } catch (error) {
    db?.close();
    throw asRunStoreError(error, path);
  }
}

/** Switching a new file to WAL needs it alone for a moment, and SQLite answers BUSY there without waiting. */
function enableWal(db: Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.run("PRAGMA journal_mode = WAL");
      return;
    } catch (error) {
      if (!(error instanceof SQLiteError && error.code === "SQLITE_BUSY") || Date.now() > deadline) throw error;
      Bun.sleepSync(10);
    }
  }
}

/** SQLite's open failures as one line naming the file; anything else passes unchanged. */
function asRunStoreError(error: unknown, path: string): unknown {
  if (!(error instanceof SQLiteError)) return error;
  const code = error.code ?? "";
  if (code.startsWith("SQLITE_NOTADB")) {
    return new RunStoreError("not_a_database", `cannot open the run store ${path}: the file is not a SQLite database; move it away or pass another --db`);
  }
  if (/^SQLITE_(CANTOPEN|PERM|READONLY|AUTH|CORRUPT)/.test(code)) {
    return new RunStoreError("cannot_open", `cannot open the run store ${path}: ${error.message} (${code})`);
  }
  return error;
}
