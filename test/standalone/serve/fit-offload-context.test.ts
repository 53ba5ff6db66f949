import { describe, expect, test } from "bun:test";
import { ContextFitError } from "../../../lib/serve/fit-max-context.ts";
import { fitOffloadContext } from "../../../lib/serve/fit-offload-context.ts";

/** 1000 bytes of weights in each pool, then 1 byte of RAM and 2 of VRAM per token. */
const needAt = async (c: number) => ({ ramBytes: 1000 + c, vramBytes: 1000 + 2 * c });
const base = { requested: null, tierDefault: 20000, trainContext: 32768, needAt };

describe("fitOffloadContext()", () => {
  test.each([
    ["the tier default when both pools hold it", { ramBudgetBytes: 1e9, vramBudgetBytes: 1e9 }, true, 20000, null],
    ["VRAM's fit when it is the smaller", { ramBudgetBytes: 1e9, vramBudgetBytes: 1000 + 2 * 5000 }, true, 4864, "vram"],
    ["RAM's fit when it is the smaller", { ramBudgetBytes: 1000 + 3000, vramBudgetBytes: 1e9 }, true, 2816, "memory"],
    ["RAM alone without a GPU (VRAM is no pool)", { ramBudgetBytes: 1e9, vramBudgetBytes: 0 }, false, 20000, null],
  ] as const)("fitOffloadContext() picks %s", async (_, pools, gpu, context, cappedBy) => {
    expect(await fitOffloadContext({ ...base, pools, gpu })).toEqual({ context, cappedBy });
  });

  test.each([
    ["an operator's window over VRAM", { requested: 8192 }, { ramBudgetBytes: 1e9, vramBudgetBytes: 10000 }, true,
      "VRAM: max context 8192 needs about 0.00 GiB, over the VRAM budget of 0.00 GiB; fewer --gpu-layers leave more VRAM for the context"],
    ["an operator's window over RAM beside the offload", { requested: 8192 }, { ramBudgetBytes: 5000, vramBudgetBytes: 1e9 }, true,
      "RAM: max context 8192 needs about 0.00 GiB, over the RAM budget of 0.00 GiB"],
    ["a window over the trained context (no pool named)", { requested: 40000 }, { ramBudgetBytes: 1e9, vramBudgetBytes: 1e9 }, true,
      "max context 40000 exceeds the model's trained context 32768"],
    ["RAM on a CPU-only machine, worded as before", { requested: 8192 }, { ramBudgetBytes: 5000, vramBudgetBytes: 0 }, false,
      "max context 8192 needs about 0.00 GiB, over the memory budget of 0.00 GiB"],
  ] as const)("fitOffloadContext() refuses %s", async (_, over, pools, gpu, message) => {
    const error = await fitOffloadContext({ ...base, ...over, pools, gpu }).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(ContextFitError);
    expect(error!.message).toBe(message);
  });
});
