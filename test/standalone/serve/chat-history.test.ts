import { describe, expect, test } from "bun:test";
import { chatHistory } from "../../../lib/serve/tools/chat-history.ts";
import type { ChatMessage } from "../../../lib/serve/parse-chat-messages.ts";

const call = (id: string, args: string) => ({ id, name: "w", arguments: args });

describe("chatHistory()", () => {
  test("chatHistory() puts calls, their results and the text after them in one model response", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "be brief" },
      { role: "user", content: "weather?" },
      { role: "assistant", content: "", toolCalls: [call("a", '{"city":"Paris"}'), call("b", "")] },
      { role: "tool", toolCallId: "b", content: "not json" },
      { role: "tool", toolCallId: "a", content: '{"t":21}' },
      { role: "assistant", content: "21 in Paris." },
      { role: "user", content: "thanks" },
    ];
    expect(chatHistory(messages)).toEqual({
      items: [
        { type: "system", text: "be brief" },
        { type: "user", text: "weather?" },
        { type: "model", response: [
          { type: "functionCall", name: "w", params: { city: "Paris" }, result: { t: 21 }, startsNewChunk: true },
          { type: "functionCall", name: "w", params: undefined, result: "not json", startsNewChunk: false },
          "21 in Paris.",
        ] },
        { type: "user", text: "thanks" },
      ],
      continuesModelResponse: false,
    });
  });

  test("chatHistory() continues the model response when the conversation ends in tool results", () => {
    const h = chatHistory([{ role: "user", content: "?" }, { role: "assistant", content: "", toolCalls: [call("a", "{}")] }, { role: "tool", toolCallId: "a", content: "1" }]);
    expect(h.continuesModelResponse).toBe(true);
    expect(h.items.at(-1)).toEqual({ type: "model", response: [{ type: "functionCall", name: "w", params: {}, result: 1, startsNewChunk: true }] });
  });

  test("chatHistory() leaves an unanswered call's result undefined and starts a new response after a user turn", () => {
    const h = chatHistory([{ role: "assistant", content: "", toolCalls: [call("a", "{}")] }, { role: "user", content: "and?" }, { role: "assistant", content: "ok" }]);
    expect(h.items).toEqual([
      { type: "model", response: [{ type: "functionCall", name: "w", params: {}, result: undefined, startsNewChunk: true }] },
      { type: "user", text: "and?" },
      { type: "model", response: ["ok"] },
    ]);
  });
});
