/**
 * Stage 1's writes to the run store (DB-1): every probe as a stage-1 trial row, and the run row
 * finished when the run ends here. A document made without a store gets its run row created.
 */
import { openRunStore } from "../../store/io/open-run-store.ts";
import type { RunStore } from "../../store/run-store.ts";
import type { Stage1Trial } from "../stage1-document.ts";
import { stage1TrialRow } from "../stage1-trial-row.ts";
import type { ExitReason, PrewarmDocument, TuneInputs } from "../tune-documents.ts";

export type Stage1Recorder = {
  readonly path: string;
  addTrial(trial: Stage1Trial): void;
  /** Finishes the run row with this exit reason (no recommendation: Stage 1 ends the run only when it fails). */
  finish(exitReason: ExitReason): void;
  close(): void;
};

/** Opens the store at `path` and makes sure the document's run row exists. Throws RunStoreError when it cannot. */
export function openStage1Recorder(path: string, prewarm: PrewarmDocument, inputs: TuneInputs): Stage1Recorder {
  const store: RunStore = openRunStore(path);
  try {
    if (store.getRun(prewarm.run_id) === null) {
      store.createRun({ run_id: prewarm.run_id, spec_version: prewarm.spec_version, started_at: prewarm.started_at, machine: prewarm.machine, inputs });
    }
  } catch (error) {
    store.close();
    throw error;
  }
  const runId = prewarm.run_id;
  return {
    path: store.path,
    addTrial: (trial) => void store.addTrial(stage1TrialRow(runId, trial, trial.feasible, new Date().toISOString())),
    finish: (exitReason) => store.finishRun(runId, { finished_at: new Date().toISOString(), exit_reason: exitReason, recipe_hash: null, recommendation: null }),
    close: () => store.close(),
  };
}
