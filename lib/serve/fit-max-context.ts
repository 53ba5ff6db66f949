/**
 * The served window: the requested (or RAM-tier default) context, capped by the model's trained
 * context and by what fits the memory budget. An explicit request that cannot be honoured is an
 * error rather than a silent cap: the window is the operator's contract.
 */
export type FitInputs = {
  /** The operator's value, or null for the default. */
  requested: number | null;
  tierDefault: number;
  trainContext: number | null;
  memoryBudgetBytes: number;
  /** Total bytes (model + context) the knobs need at a given context; monotonic in context. */
  estimateBytes: (context: number) => Promise<number>;
};

export type FitResult = { context: number; cappedBy: "trained_context" | "memory" | null };

export class ContextFitError extends Error {}

const STEP = 256; // llama.cpp pads contexts to multiples of 256 anyway

export async function fitMaxContext(inputs: FitInputs): Promise<FitResult> {
  const { requested, trainContext, memoryBudgetBytes, estimateBytes } = inputs;
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
  if (requested !== null) {
    if (trainContext !== null && requested > trainContext) {
      throw new ContextFitError(`max context ${requested} exceeds the model's trained context ${trainContext}`);
    }
    const need = await estimateBytes(requested);
    if (need > memoryBudgetBytes) {
      throw new ContextFitError(`max context ${requested} needs about ${gib(need)}, over the memory budget of ${gib(memoryBudgetBytes)}`);
    }
    return { context: requested, cappedBy: null };
  }

  let context = inputs.tierDefault;
  let cappedBy: FitResult["cappedBy"] = null;
  if (trainContext !== null && trainContext < context) {
    context = trainContext;
    cappedBy = "trained_context";
  }
  if ((await estimateBytes(context)) <= memoryBudgetBytes) return { context, cappedBy };

  // Largest multiple of STEP that fits, by bisection over the monotonic estimate.
  let lo = 0;
  let hi = Math.floor(context / STEP);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await estimateBytes(mid * STEP)) <= memoryBudgetBytes) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0) throw new ContextFitError(`even a ${STEP}-token context needs about ${gib(await estimateBytes(STEP))}, over the memory budget of ${gib(memoryBudgetBytes)}`);
  return { context: lo * STEP, cappedBy: "memory" };
}
