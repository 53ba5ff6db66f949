import { describe, expect, test } from "bun:test";
import { ContextFitError, fitMaxContext } from "../../../lib/serve/fit-max-context.ts";


describe("fitMaxContext()", () => {
  const linear = async (c: number) => 1000 + c * 10; // bytes

  test.each([
    ["the tier default when it fits", { requested: null, tierDefault: 20000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 20000, null],
    ["the trained context when smaller", { requested: null, tierDefault: 50000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 32768, "trained_context"],
    ["the largest multiple of 256 that fits memory", { requested: null, tierDefault: 50000, trainContext: null, memoryBudgetBytes: 1000 + 10 * 3000 }, 2816, "memory"],
    ["an explicit value as given", { requested: 777, tierDefault: 50000, trainContext: 32768, memoryBudgetBytes: 1e9 }, 777, null],
  ] as const)("fitMaxContext() picks %s", async (_, inputs, context, cappedBy) => {
    expect(await fitMaxContext({ ...inputs, estimateBytes: linear })).toEqual({ context, cappedBy });
  });

  test.each([
    [{ requested: 40000, trainContext: 32768, memoryBudgetBytes: 1e9 }, /max context 40000 exceeds the model's trained context 32768/],
    [{ requested: 8192, trainContext: 32768, memoryBudgetBytes: 5000 }, /max context 8192 needs about .* GiB, over the memory budget/],
    [{ requested: null, trainContext: 32768, memoryBudgetBytes: 100 }, /even a 256-token context needs/],
  ])("fitMaxContext() refuses what cannot be served: %o", async (inputs, message) => {
    await expect(fitMaxContext({ ...inputs, tierDefault: 20000, estimateBytes: linear })).rejects.toThrow(ContextFitError);
    await expect(fitMaxContext({ ...inputs, tierDefault: 20000, estimateBytes: linear })).rejects.toThrow(message);
  });
});
