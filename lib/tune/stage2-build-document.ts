/** Assembles the Stage 2 document (REC-2) from the stage1 document and the search's result. */
import { recipeHash, recipeInputs } from "./recipe-hash.ts";
import { recommendation } from "./recommend.ts";
import type { Stage1Document } from "./stage1-document.ts";
import { cellKey, type Stage2Cell } from "./stage2-cells.ts";
import type { Stage2Document } from "./stage2-document.ts";
import type { CellReplicate, CellSummary } from "./stage2-summary.ts";
import { pickWinner } from "./stage2-winner.ts";
import { TUNE_SPEC_VERSION, type TuneInputs } from "./tune-documents.ts";

export type Stage2Parts = {
  stage1: Stage1Document & { selected: NonNullable<Stage1Document["selected"]> };
  inputs: TuneInputs;
  db: string;
  mode: "default" | "exhaustive";
  cells: Stage2Cell[];
  cellsTotal: number;
  replicates: CellReplicate[][];
  summaries: CellSummary[];
  anchorCell: number;
  noiseFloor: number;
  tieBand: number;
  trials: number;
  interrupted: boolean;
  finishedAt: string;
  wallMs: number;
};

export function buildStage2Document(p: Stage2Parts): Stage2Document {
  const winner = p.interrupted ? null : pickWinner(p.summaries, p.tieBand);
  const rec = winner === null ? null : recommendation(p.stage1.selected, p.inputs.target_context, p.cells[winner]!, p.summaries[winner]!);
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    stage: "stage2",
    spec_version: TUNE_SPEC_VERSION,
    run_id: p.stage1.run_id,
    started_at: p.stage1.started_at,
    finished_at: p.finishedAt,
    db: p.db,
    machine: p.stage1.machine,
    inputs: p.inputs,
    recommendation: rec,
    alternates: p.stage1.alternates,
    infeasible: p.stage1.infeasible,
    exit_reason: p.interrupted ? "interrupted" : rec ? "completed" : "stage2_no_feasible_cell",
    recipe_hash: rec ? recipeHash({ machine: p.stage1.machine, inputs: recipeInputs(p.inputs), recommendation: rec }) : null,
    search: {
      mode: p.mode, anchor: cellKey(p.cells[p.anchorCell]!), cells_total: p.cellsTotal, cells_measured: p.replicates.filter((r) => r.length > 0).length, trials: p.trials,
      noise_floor: round3(p.noiseFloor), tie_band: round3(p.tieBand), wall_ms: Math.round(p.wallMs),
    },
    cells: p.cells.map((cell, i) => ({ key: cellKey(cell), cell, summary: p.summaries[i]!, replicates: p.replicates[i]!, kept: i === winner })),
  };
}
