/**
 * OpenAI chat turns → node-llama-cpp's chat history, which the chat wrapper renders in the model's
 * template. node-llama-cpp keeps a call and its result inside one model response (calls, results,
 * then the text that follows), so an assistant turn with `tool_calls`, the tool messages answering
 * it and the assistant text after them become one model item. A conversation that ends in tool
 * results continues that model response rather than opening a new one.
 */
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import type { ChatMessage } from "../parse-chat-messages.ts";

export type ChatHistory = {
  items: ChatHistoryItem[];
  /** The last item is a model response to continue (the conversation ended in tool results). */
  continuesModelResponse: boolean;
};

/** Parses JSON arguments and results; text that is not JSON stays text. Calls nobody answered keep result undefined (node-llama-cpp writes "void"). */
export function chatHistory(messages: readonly ChatMessage[]): ChatHistory {
  const items: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  let afterResults = false;
  for (const m of messages) {
    if (m.role === "system" || m.role === "user") {
      items.push({ type: m.role, text: m.content });
      afterResults = false;
      continue;
    }
    if (m.role === "tool") {
      calls.get(m.toolCallId)!.result = jsonOrText(m.content); // parseChatMessages checked the id
      afterResults = true;
      continue;
    }
    if (m.role !== "assistant") continue; // none left: for the type checker
    const last = items.at(-1);
    const response = afterResults && last?.type === "model" ? last.response : newModelResponse(items);
    if (m.content !== "") response.push(m.content);
    (m.toolCalls ?? []).forEach((c, i) => {
      const call: ChatModelFunctionCall = { type: "functionCall", name: c.name, params: c.arguments.trim() === "" ? undefined : JSON.parse(c.arguments), result: undefined, startsNewChunk: i === 0 };
      calls.set(c.id, call);
      response.push(call);
    });
    afterResults = false;
  }
  return { items, continuesModelResponse: messages.at(-1)?.role === "tool" };
}

function newModelResponse(items: ChatHistoryItem[]): ChatModelResponse["response"] {
  const item: ChatModelResponse = { type: "model", response: [] };
  items.push(item);
  return item.response;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
