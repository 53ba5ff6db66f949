import { describe, expect, test } from "bun:test";
import { parseChatMessages } from "../../../lib/serve/parse-chat-messages.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

const call = (id: string, name = "f", args = "{}") => ({ id, type: "function", function: { name, arguments: args } });

describe("parseChatMessages()", () => {
  test("parseChatMessages() reads a conversation with calls and their results", () => {
    const messages = parseChatMessages([
      { role: "user", content: "weather in Paris and Rome?" },
      { role: "assistant", content: null, tool_calls: [call("c1", "w", '{"city":"Paris"}'), call("c2", "w", '{"city":"Rome"}')] },
      { role: "tool", tool_call_id: "c2", content: "18" },
      { role: "tool", tool_call_id: "c1", content: [{ type: "text", text: "21" }] },
    ]);
    expect(messages).toEqual([
      { role: "user", content: "weather in Paris and Rome?" },
      { role: "assistant", content: "", toolCalls: [{ id: "c1", name: "w", arguments: '{"city":"Paris"}' }, { id: "c2", name: "w", arguments: '{"city":"Rome"}' }] },
      { role: "tool", toolCallId: "c2", content: "18" },
      { role: "tool", toolCallId: "c1", content: "21" },
    ]);
  });

  test("parseChatMessages() keeps an assistant's text beside its calls", () => {
    expect(parseChatMessages([{ role: "assistant", content: "Let me look.", tool_calls: [call("c1")] }])[0]).toEqual({ role: "assistant", content: "Let me look.", toolCalls: [{ id: "c1", name: "f", arguments: "{}" }] });
  });

  test.each([
    [[{ role: "tool", tool_call_id: "c1", content: "x" }], "messages[0].tool_call_id"],
    [[{ role: "assistant", content: null, tool_calls: [call("c1")] }, { role: "user", content: "?" }, { role: "tool", tool_call_id: "c1", content: "x" }], "messages[2].tool_call_id"],
    [[{ role: "assistant", content: null, tool_calls: [call("c1")] }, { role: "tool", tool_call_id: "c1", content: "x" }, { role: "tool", tool_call_id: "c1", content: "y" }], "messages[2].tool_call_id"],
    [[{ role: "assistant", content: null, tool_calls: [call("c1", "f", "{oops")] }], "messages[0].tool_calls[0].function.arguments"],
    [[{ role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }] }], "messages[0].tool_calls[0].id"],
    [[{ role: "assistant", content: null, tool_calls: "f()" }], "messages[0].tool_calls"],
    [[{ role: "tool", tool_call_id: "c1" }], "messages[0].content"],
  ])("parseChatMessages(%o) is a 400 naming %p", (messages, param) => {
    const error = apiErrorOf(() => parseChatMessages(messages));
    expect(error.param).toBe(param);
  });
});
