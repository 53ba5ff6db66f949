/** Share of total RAM that weights plus context may take (the rest is the OS and other programs). */
export const MEMORY_BUDGET_SHARE = 0.85;

/** The memory budget serve (and autotune's prefilter, PW-3) holds a model and its context to. */
export function memoryBudgetBytes(totalRamBytes: number): number {
  return Math.floor(totalRamBytes * MEMORY_BUDGET_SHARE);
}
