/**
 * PW-3: a candidate whose estimated memory at the target context exceeds the budget is skipped
 * (too_big) before anything loads. Returns the one-line reason, or null when it fits.
 */
export function memoryFitReason(estimateBytes: number, budgetBytes: number, targetContext: number): string | null {
  if (estimateBytes <= budgetBytes) return null;
  return `needs an estimated ${mib(estimateBytes)} at context ${targetContext} (F16 KV, batch 1), over the memory budget of ${mib(budgetBytes)}`;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
