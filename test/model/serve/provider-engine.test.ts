import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openEngine } from "../../../lib/engine/io/open-engine.ts";
import { loadProviderEngine, type ProviderEngine } from "../../../lib/serve/io/provider-engine.ts";
import { testFixture } from "../../helpers/fixtures.ts";

let engine: ProviderEngine;
beforeAll(async () => {
  engine = await loadProviderEngine(await openEngine(), (await testFixture("fx-1m")).path, { kvBits: null, maxContext: 512, maxBatch: 2, threads: 1, flashAttention: "off" }, 4);
});
afterAll(() => engine.dispose());

describe("loadProviderEngine()", () => {
  test("loadProviderEngine() formats chat with the model's ChatML template", () => {
    const text = engine.model.detokenize(engine.chatPrompt([{ role: "system", content: "be brief" }, { role: "user", content: "hi" }]), true);
    expect(text).toBe("<s><|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
  });

  test("loadProviderEngine() keeps the template's end-of-turn text as a chat stop string", () => {
    expect(engine.chatStops).toContain("<|im_end|>");
  });

  test("loadProviderEngine() prepends BOS to a raw prompt once and parses special-token text", () => {
    const tokens = engine.textPrompt("<|im_start|>x");
    expect(tokens[0]).toBe(engine.model.tokens.bos!);
    expect(tokens.filter((t) => t === engine.model.tokens.bos).length).toBe(1);
    expect(tokens.length).toBe(3); // BOS, <|im_start|> as one special token, "x"
  });

  test("loadProviderEngine() names the model after its file and gives one slot per max_batch", async () => {
    expect(engine.modelId).toBe("fx-1m");
    const a = await engine.pool.acquire();
    const b = await engine.pool.acquire();
    expect(a).not.toBe(b);
    expect(engine.pool.inFlight).toBe(2);
    engine.pool.release(a);
    engine.pool.release(b);
  });
});
