/**
 * The answer's phases in-process on fx-8m: the auto path (the model opens a call on its own, which
 * random weights never do by themselves, so the test makes a piece of greedy output the call
 * trigger), and a tool conversation through the chat template.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openEngine } from "../../../lib/engine/io/open-engine.ts";
import { generateAnswer, type AnswerPiece } from "../../../lib/serve/io/generate-answer.ts";
import { loadProviderEngine, type ProviderEngine } from "../../../lib/serve/io/provider-engine.ts";
import { parseCompletionRequest } from "../../../lib/serve/parse-completion-request.ts";
import { testFixture } from "../../helpers/fixtures.ts";

let engine: ProviderEngine;
beforeAll(async () => {
  engine = await loadProviderEngine(await openEngine(), (await testFixture("fx-8m")).path, { kvBits: null, maxContext: 2048, maxBatch: 1, threads: 1, flashAttention: "off" }, 4);
});
afterAll(() => engine.dispose());

const WEATHER = { type: "object", properties: { city: { type: "string", maxLength: 10 }, unit: { enum: ["c", "f"] } }, required: ["city", "unit"] };
const request = (extra: Record<string, unknown> = {}) => parseCompletionRequest("chat", {
  messages: [{ role: "user", content: "Weather in Paris?" }],
  tools: [{ type: "function", function: { name: "get_weather", parameters: WEATHER } }, { type: "function", function: { name: "get_time" } }],
  ...extra,
});

async function answer(plan: Awaited<ReturnType<ProviderEngine["plan"]>>, maxTokens: number) {
  const sequence = await engine.pool.acquire();
  try {
    const gen = generateAnswer(sequence, plan, { maxTokens, window: engine.maxContext, ignoreEos: true, temperature: 0, reusePrefix: false, signal: new AbortController().signal });
    const pieces: AnswerPiece[] = [];
    for (;;) {
      const step = await gen.next();
      if (step.done) return { pieces, end: step.value };
      pieces.push(step.value);
    }
  } finally {
    engine.pool.release(sequence);
  }
}
const text = (pieces: AnswerPiece[]) => pieces.map((p) => (p.kind === "text" ? p.text : "")).join("");

describe("generateAnswer()", () => {
  test("generateAnswer() with tool_choice auto stops at the model's call prefix and generates the call under the grammar", async () => {
    const plan = await engine.plan(request());
    expect(plan.content!.callTriggers).toEqual(["||call: ", "||call:"]); // the fixtures' ChatML wrapper
    const free = await answer(plan, 40);
    expect(free.end.finishReason).toBe("length");
    const full = text(free.pieces);
    const trigger = [...full].slice(12, 15).join("");
    const cut = full.indexOf(trigger);
    const called = await answer({ ...plan, content: { ...plan.content!, callTriggers: [trigger] } }, 300);
    expect(text(called.pieces)).toBe(full.slice(0, cut));
    const call = called.pieces.find((p) => p.kind === "call");
    expect(call).toMatchObject({ kind: "call", id: expect.stringMatching(/^call_/) });
    const args = called.pieces.filter((p) => p.kind === "arguments").map((p) => (p as { text: string }).text).join("");
    expect(called.end.finishReason).toBe("tool_calls");
    expect(JSON.parse(args)).toBeInstanceOf(Object);
    expect(called.end.stats.completionTokens).toBeGreaterThan(cut > 0 ? 1 : 0);
  });

  test("generateAnswer() with a named function goes straight to its arguments", async () => {
    const { pieces, end } = await answer(await engine.plan(request({ tool_choice: { type: "function", function: { name: "get_weather" } } })), 300);
    expect(pieces[0]).toMatchObject({ kind: "call", name: "get_weather" });
    expect(pieces.slice(1).every((p) => p.kind === "arguments")).toBe(true);
    const args = JSON.parse(pieces.slice(1).map((p) => (p as { text: string }).text).join(""));
    expect(Object.keys(args)).toEqual(["city", "unit"]);
    expect(end.finishReason).toBe("tool_calls");
  });
});

describe("loadProviderEngine() with tools", () => {
  test("a call and its result are rendered through the template, and the model's turn continues after the result", () => {
    const messages = parseCompletionRequest("chat", {
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } }] },
        { role: "tool", tool_call_id: "c1", content: "{\"t\":21}" },
      ],
    }).messages;
    const rendered = engine.model.detokenize(engine.chatPrompt(messages), true);
    expect(rendered).toBe("<s><|im_start|>user\nWeather?<|im_end|>\n<|im_start|>assistant\n||call: get_weather({\"city\": \"Paris\"})\n||result: {\"t\": 21}\n");
  });

  test("the offered functions are described to the model in the system turn", async () => {
    const plan = await engine.plan(request({ tool_choice: "required" }));
    const rendered = engine.model.detokenize(plan.prompt, true);
    expect(rendered).toContain("function get_weather(params: {");
    expect(rendered).toContain("||call: getSomeInfo(");
  });
});
