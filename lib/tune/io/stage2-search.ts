/**
 * The Stage 2 measurement loop (S2-2, S2-4): rounds of rotated cells with the anchor re-measured
 * every few cells; cells measured during a drift are measured again. The default search measures
 * every distinct cell once, then only the cells that could still win; `exhaustive` measures the full
 * product every round. The decisions are the pure stage2-* modules; this file only measures.
 */
import { distinctCells, stage2Cells, type Stage2Cell } from "../stage2-cells.ts";
import { driftedRuns, noiseFloor } from "../stage2-noise.ts";
import { roundSchedule } from "../stage2-schedule.ts";
import { summarizeCell, type CellReplicate, type CellSummary } from "../stage2-summary.ts";
import { contenders, tieBand } from "../stage2-winner.ts";
import type { Stage2Axes } from "../parse-stage2-axes.ts";

export type SearchOptions = {
  axes: Stage2Axes;
  exhaustive: boolean;
  replicates: number;
  gateTtftMs: number;
  epsilon: number;
  /** Non-anchor cells between two anchor measurements. */
  anchorEvery: number;
  measure(cell: Stage2Cell): Promise<CellReplicate>;
  signal?: AbortSignal;
  log(line: string): void;
};

export type SearchResult = {
  cells: Stage2Cell[];
  cellsTotal: number;
  replicates: CellReplicate[][];
  summaries: CellSummary[];
  anchorTps: number[];
  /** The cell re-measured as the anchor (the first cell, unless it never gave a figure). */
  anchorCell: number;
  noiseFloor: number;
  tieBand: number;
  trials: number;
  interrupted: boolean;
};

export async function stage2Search(o: SearchOptions): Promise<SearchResult> {
  const all = stage2Cells(o.axes);
  const cells = o.exhaustive ? all : distinctCells(all);
  const reps: CellReplicate[][] = cells.map(() => []);
  const anchorTps: number[] = [];
  let trials = 0;
  const measure = async (i: number) => {
    trials++;
    return o.measure(cells[i]!);
  };
  const ids = cells.map((_, i) => i);
  const anchor = { cell: 0 };
  for (let round = 0; round < o.replicates && !o.signal?.aborted; round++) {
    const band = tieBand(o.epsilon, noiseFloor(anchorTps));
    const todo = o.exhaustive || round === 0 ? ids : contenders(ids.map((i) => summarizeCell(reps[i]!, o.gateTtftMs)), band, o.gateTtftMs);
    o.log(`round ${round + 1}/${o.replicates}: ${todo.length} cell(s)`);
    await runRound(todo, round, { o, reps, anchorTps, anchor, measure });
  }
  const floor = noiseFloor(anchorTps);
  return {
    cells, cellsTotal: all.length, replicates: reps,
    summaries: reps.map((r) => summarizeCell(r, o.gateTtftMs)),
    anchorTps, anchorCell: anchor.cell, noiseFloor: floor, tieBand: tieBand(o.epsilon, floor), trials,
    interrupted: Boolean(o.signal?.aborted),
  };
}

type RoundState = { o: SearchOptions; reps: CellReplicate[][]; anchorTps: number[]; anchor: { cell: number }; measure(i: number): Promise<CellReplicate> };

/** One rotated round with anchors; a segment between two anchors that drifted is measured again. */
async function runRound(todo: number[], round: number, s: RoundState): Promise<void> {
  const runs: { cell: number; anchor: boolean; tps: number | null; rep: CellReplicate }[] = [];
  for (const planned of roundSchedule(todo, round, 0, s.o.anchorEvery)) {
    if (s.o.signal?.aborted) return;
    const step = planned.anchor ? { ...planned, cell: s.anchor.cell } : planned;
    const rep = await s.measure(step.cell);
    runs.push({ ...step, tps: rep.tps, rep });
    if (step.anchor) {
      if (rep.tps !== null) s.anchorTps.push(rep.tps);
    } else {
      s.reps[step.cell]!.push(rep);
      // An anchor that never gives a figure (over the gate, say) measures no noise: while that is
      // so, the first cell that does becomes the anchor.
      if (s.anchorTps.length === 0 && rep.tps !== null && step.cell !== s.anchor.cell) s.anchor.cell = step.cell;
    }
    s.o.log(`${step.anchor ? "anchor" : `cell ${step.cell + 1}`}: ${rep.ok ? `${rep.tps!.toFixed(1)} tok/s, TTFT max ${Math.round(Math.max(...rep.ttfts_ms))} ms` : rep.error}`);
  }
  for (const i of driftedRuns(runs, noiseFloor(s.anchorTps))) {
    if (s.o.signal?.aborted) return;
    const { cell, rep: old } = runs[i]!;
    s.o.log(`cell ${cell + 1} was measured during a drift: measuring it again`);
    const list = s.reps[cell]!;
    list.splice(list.indexOf(old), 1, await s.measure(cell));
  }
}
