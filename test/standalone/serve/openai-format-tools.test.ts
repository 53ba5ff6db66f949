import { describe, expect, test } from "bun:test";
import { chunkBody, completionBody, timings, usage } from "../../../lib/serve/openai-format.ts";

const meta = { id: "chatcmpl-1", created: 1, model: "m", kind: "chat" as const };
// Bodies are checked field by field; `any` keeps the assertions readable.
const first = (body: { choices: unknown[] }): any => body.choices[0];
const t = timings({ evaluatedPromptTokens: 1, completionTokens: 1, ttftMs: 1, totalMs: 2, decodeTokensPerSecond: null });

describe("openai-format with tool calls", () => {
  test("completionBody() gives tool_calls and content null when the model wrote no text", () => {
    const body = completionBody(meta, "", "tool_calls", usage(3, 4), t, [{ id: "call_1", name: "w", arguments: '{"a":1}' }]);
    expect(body.choices[0]).toEqual({
      index: 0, logprobs: null, finish_reason: "tool_calls",
      message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "w", arguments: '{"a":1}' } }] },
    });
  });

  test("completionBody() keeps plain answers as they were", () => {
    expect(first(completionBody(meta, "hi", "stop", usage(1, 1), t)).message).toEqual({ role: "assistant", content: "hi" });
  });

  test("chunkBody() streams a call's start with id, type and name, then its arguments alone", () => {
    expect(first(chunkBody(meta, { call: { index: 0, id: "call_1", name: "w" } })).delta).toEqual({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "w", arguments: "" } }] });
    expect(first(chunkBody(meta, { call: { index: 0, arguments: '{"a"' } })).delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] });
    expect(chunkBody(meta, { finishReason: "tool_calls" }).choices[0]).toMatchObject({ delta: {}, finish_reason: "tool_calls" });
  });
});
