/**
 * The run store's statements on an open, migrated database. Every write that reads first runs in a
 * BEGIN IMMEDIATE transaction, so a concurrent writer waits (busy timeout) instead of failing.
 */
import type { Database } from "bun:sqlite";
import { pickRunsToPrune, type RetainedRun } from "../pick-runs-to-prune.ts";
import { outcomeToRow, runFromRow, runToRow, summaryFromRow } from "../run-row.ts";
import type { NewRun, NewTrial, RunStore } from "../run-store.ts";
import { trialFromRow, trialToRow, type SqlValue } from "../trial-row.ts";

type Row = Record<string, unknown>;

const LIST_RUNS_SQL = `
  SELECT r.run_id, r.started_at, r.finished_at, r.exit_reason,
    COALESCE(json_extract(r.recommendation, '$.model'), k.model) AS model,
    COALESCE(json_extract(r.recommendation, '$.tps_median'), k.tps) AS tps,
    (SELECT COUNT(*) FROM tune_trials t WHERE t.run_id = r.run_id) AS trials
  FROM tune_runs r
  LEFT JOIN tune_trials k ON k.id = (
    SELECT id FROM tune_trials WHERE run_id = r.run_id AND kept = 1 ORDER BY stage DESC, id DESC LIMIT 1)
  ORDER BY r.started_at DESC, r.rowid DESC
  LIMIT $limit`;

export function sqliteRunStore(db: Database, path: string): RunStore {
  const insert = (table: string, row: Record<string, SqlValue>) => {
    const keys = Object.keys(row);
    return db.query(`INSERT INTO ${table} (${keys.join(", ")}) VALUES (${keys.map((k) => `$${k}`).join(", ")})`).run(row);
  };
  const hasRun = (runId: string) => db.query("SELECT 1 FROM tune_runs WHERE run_id = $run_id").get({ run_id: runId }) !== null;
  const requireRun = (action: string, runId: string) => {
    if (!hasRun(runId)) throw new Error(`${action}: no run "${runId}" in ${path}`);
  };
  const clearKept = (runId: string) => db.query("UPDATE tune_trials SET kept = 0 WHERE run_id = $run_id AND stage = 2 AND kept = 1").run({ run_id: runId });

  const addTrial = db.transaction((trial: NewTrial): number => {
    requireRun("addTrial", trial.run_id);
    const row = trialToRow(trial);
    if (row.kept === 1 && row.stage === 2) clearKept(trial.run_id);
    return Number(insert("tune_trials", row).lastInsertRowid);
  });

  const markKept = db.transaction((runId: string, trialId: number) => {
    const trial = db.query("SELECT stage FROM tune_trials WHERE id = $id AND run_id = $run_id").get({ id: trialId, run_id: runId }) as { stage: number } | null;
    if (trial?.stage !== 2) throw new Error(`markKept: trial ${trialId} is not a stage-2 trial of run "${runId}" in ${path}`);
    clearKept(runId);
    db.query("UPDATE tune_trials SET kept = 1 WHERE id = $id").run({ id: trialId });
  });

  const pruneRuns = db.transaction((keep: number): string[] => {
    const runs = db.query("SELECT run_id, started_at, rowid AS seq FROM tune_runs").all() as RetainedRun[];
    const doomed = pickRunsToPrune(runs, keep);
    for (const runId of doomed) {
      db.query("DELETE FROM tune_trials WHERE run_id = $run_id").run({ run_id: runId });
      db.query("DELETE FROM tune_runs WHERE run_id = $run_id").run({ run_id: runId });
    }
    return doomed;
  });

  const createRun = db.transaction((run: NewRun) => {
    if (hasRun(run.run_id)) throw new Error(`createRun: run "${run.run_id}" already exists in ${path}`);
    insert("tune_runs", runToRow(run));
  });

  return {
    path,
    createRun: (run) => createRun.immediate(run),
    finishRun(runId, outcome) {
      const row = outcomeToRow(runId, outcome);
      const { changes } = db
        .query("UPDATE tune_runs SET finished_at = $finished_at, exit_reason = $exit_reason, recipe_hash = $recipe_hash, recommendation = $recommendation, inputs = COALESCE($inputs, inputs) WHERE run_id = $run_id")
        .run(row);
      if (changes === 0) throw new Error(`finishRun: no run "${runId}" in ${path}`);
    },
    addTrial: (trial) => addTrial.immediate(trial),
    markKept: (runId, trialId) => markKept.immediate(runId, trialId),
    pruneRuns: (keep) => pruneRuns.immediate(keep),
    listRuns: (limit) => (db.query(LIST_RUNS_SQL).all({ limit: limit ?? -1 }) as Row[]).map(summaryFromRow),
    getRun(runId) {
      const run = db.query("SELECT * FROM tune_runs WHERE run_id = $run_id").get({ run_id: runId }) as Row | null;
      if (!run) return null;
      const trials = db.query("SELECT * FROM tune_trials WHERE run_id = $run_id ORDER BY id").all({ run_id: runId }) as Row[];
      return { run: runFromRow(run), trials: trials.map(trialFromRow) };
    },
    close: () => db.close(),
  };
}
