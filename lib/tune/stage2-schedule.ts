/**
 * S2-2: the order of one round of Stage 2 measurements. Every cell once, the list rotated by the
 * round so no cell keeps its neighbours or its place (order alone can fabricate differences), and
 * the anchor cell re-measured at the start, every `anchorEvery` cells and at the end, to catch drift.
 */
export type ScheduledRun = { cell: number; anchor: boolean };

export function roundSchedule(cells: readonly number[], round: number, anchorCell: number, anchorEvery: number): ScheduledRun[] {
  const n = cells.length;
  // A stride coprime-ish to n moves each cell away from where it stood last round.
  const offset = n === 0 ? 0 : (round * Math.max(1, Math.floor(n / 3) + 1)) % n;
  const rotated = [...cells.slice(offset), ...cells.slice(0, offset)];
  const out: ScheduledRun[] = [{ cell: anchorCell, anchor: true }];
  rotated.forEach((cell, i) => {
    out.push({ cell, anchor: false });
    if ((i + 1) % anchorEvery === 0 || i === n - 1) out.push({ cell: anchorCell, anchor: true });
  });
  return out;
}
