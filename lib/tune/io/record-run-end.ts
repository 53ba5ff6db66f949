/**
 * ERR-1 for the endings autotune itself decides — a provider conflict before any stage, a stage that
 * ended without a document (a usage error, a crash), an apply that failed — stored on the run row
 * like every other exit reason. The recommendation and recipe hash already stored are kept.
 */
import { openRunStore } from "../../store/io/open-run-store.ts";
import type { NewRun } from "../../store/run-store.ts";
import type { ExitReason } from "../tune-documents.ts";

export function recordRunEnd(db: string, exitReason: ExitReason, run: NewRun): void {
  const store = openRunStore(db);
  try {
    const existing = store.getRun(run.run_id);
    if (existing === null) store.createRun(run);
    store.finishRun(run.run_id, {
      finished_at: new Date().toISOString(),
      exit_reason: exitReason,
      recipe_hash: existing?.run.recipe_hash ?? null,
      recommendation: existing?.run.recommendation ?? null,
    });
  } finally {
    store.close();
  }
}
