import { describe, expect, test } from "bun:test";
import { parseCompletionRequest } from "../../../lib/serve/parse-completion-request.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

const chat = (extra: Record<string, unknown>) => ({ messages: [{ role: "user", content: "hi" }], ...extra });

describe("parseCompletionRequest()", () => {
  test("parseCompletionRequest() fills OpenAI's defaults", () => {
    expect(parseCompletionRequest("chat", chat({}))).toMatchObject({
      kind: "chat", model: null, maxTokens: null, temperature: 1, stop: [], stream: false, includeUsage: false, ignoreEos: false, cachePrompt: true,
      messages: [{ role: "user", content: "hi" }],
    });
  });

  test("parseCompletionRequest() reads every supported field", () => {
    const r = parseCompletionRequest("text", {
      prompt: ["once"], model: "m", max_tokens: 5, temperature: 0, top_p: 0.5, top_k: 40, seed: 7, stop: "x",
      stream: true, stream_options: { include_usage: true }, ignore_eos: true, cache_prompt: false, logit_bias: { "3": -100 }, user: "extra fields are ignored",
    });
    expect(r).toMatchObject({ prompt: "once", model: "m", maxTokens: 5, temperature: 0, topP: 0.5, topK: 40, seed: 7, stop: ["x"], stream: true, includeUsage: true, ignoreEos: true, cachePrompt: false });
    expect([...r.logitBias!]).toEqual([[3, -100]]);
  });

  test("parseCompletionRequest() maps developer to system and joins text parts", () => {
    const r = parseCompletionRequest("chat", { messages: [{ role: "developer", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }] });
    expect(r.messages).toEqual([{ role: "system", content: "ab" }]);
  });

  test("parseCompletionRequest() accepts an assistant turn with content null and tool_calls, as OpenAI clients send it back", () => {
    const call = { id: "call_1", type: "function", function: { name: "f", arguments: "{}" } };
    const r = parseCompletionRequest("chat", { messages: [{ role: "user", content: "hi" }, { role: "assistant", content: null, tool_calls: [call] }, { role: "user", content: "go on" }] });
    expect(r.messages[1]).toEqual({ role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "f", arguments: "{}" }] });
  });

  test.each([
    ["chat", [1, 2], null],
    ["chat", { messages: [{ role: "assistant", content: null }] }, "messages[0].content"],
    ["chat", { messages: [{ role: "user", content: null, tool_calls: [{}] }] }, "messages[0].content"],
    ["chat", chat({ max_tokens: -1 }), "max_tokens"],
    ["chat", chat({ max_tokens: 1.5 }), "max_tokens"],
    ["chat", chat({ max_tokens: "10" }), "max_tokens"],
    ["chat", chat({ temperature: 3 }), "temperature"],
    ["chat", chat({ top_p: "0.5" }), "top_p"],
    ["chat", chat({ stream: "yes" }), "stream"],
    ["chat", chat({ stop: ["a", "b", "c", "d", "e"] }), "stop"],
    ["chat", chat({ n: 2 }), "n"],
    ["chat", chat({ model: 5 }), "model"],
    ["chat", { messages: [] }, "messages"],
    ["chat", { messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
    ["chat", { messages: [{ role: "function", content: "x" }] }, "messages[0].role"],
    ["chat", { messages: [{ role: "user", content: [{ type: "image_url" }] }] }, "messages[0].content[0]"],
    ["text", { prompt: 5 }, "prompt"],
  ] as const)("parseCompletionRequest(%p, %o) is a 400 naming %p", (kind, body, param) => {
    const error = apiErrorOf(() => parseCompletionRequest(kind, body));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    if (param) expect(error.message.startsWith(param)).toBe(true);
  });
});
