/**
 * A run store that cannot be used as it is: the file is not a SQLite database, was written by a newer
 * version, or is missing a column no migration can add. Its message names the file; `code` is stable.
 */
export type RunStoreErrorCode = "cannot_open" | "not_a_database" | "newer_schema" | "cannot_migrate";

export class RunStoreError extends Error {
  constructor(readonly code: RunStoreErrorCode, message: string) {
    super(message);
    this.name = "RunStoreError";
  }
}
