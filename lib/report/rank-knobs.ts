/**
 * Which knobs mattered: among the knobs that took more than one value across Stage 2's cells, the
 * spread of median tok/s between the knob's values, largest first. The report groups cells by the first.
 */
import { KNOBS, type Knob, type Stage2CellView } from "./read-stage2-trials.ts";

export type KnobRank = {
  knob: Knob;
  /** The values the knob took, in the order the cells were measured. */
  values: string[];
  /** Highest minus lowest median tok/s over the cells with each value (unmeasured cells left out). */
  spreadTps: number;
};

/** Ties keep the knobs' canonical order (KNOBS), so the grouping is stable. */
export function rankKnobs(cells: readonly Stage2CellView[]): KnobRank[] {
  const ranks: KnobRank[] = [];
  for (const knob of KNOBS) {
    const values = [...new Set(cells.map((c) => c.knobs[knob]))];
    if (values.length < 2) continue;
    const medians = values.map((v) => median(cells.filter((c) => c.knobs[knob] === v && c.tps !== null).map((c) => c.tps!)));
    const measured = medians.filter((m): m is number => m !== null);
    ranks.push({ knob, values, spreadTps: measured.length < 2 ? 0 : Math.max(...measured) - Math.min(...measured) });
  }
  return ranks.sort((a, b) => b.spreadTps - a.spreadTps);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
