/**
 * A chat request's `messages` → plain turns. Besides system (or developer), user and assistant text,
 * a conversation with tools carries assistant turns with `tool_calls` (content null or text) and
 * `role: "tool"` results that answer one of the calls of the assistant turn before them.
 */
import { ApiError } from "./api-error.ts";

export type ToolCall = { id: string; name: string; arguments: string };
export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; content: string; toolCallId: string };

const bad = (param: string, message: string) => new ApiError(400, `${param}: ${message}`, "invalid_value", param);

export function parseChatMessages(v: unknown): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0) throw bad("messages", "must be a non-empty list of messages");
  const out: ChatMessage[] = [];
  // Calls that tool messages may still answer: those of the latest assistant turn, until another turn starts.
  let open: string[] = [];
  v.forEach((m, i) => {
    const message = parseMessage(m, `messages[${i}]`);
    if (message.role === "tool") {
      if (!open.includes(message.toolCallId)) {
        throw bad(`messages[${i}].tool_call_id`, `${JSON.stringify(message.toolCallId)} answers no call of the assistant turn before it`);
      }
      open = open.filter((id) => id !== message.toolCallId);
    } else {
      open = message.role === "assistant" ? (message.toolCalls ?? []).map((c) => c.id) : [];
    }
    out.push(message);
  });
  return out;
}

function parseMessage(m: unknown, param: string): ChatMessage {
  if (typeof m !== "object" || m === null) throw bad(param, "must be an object with role and content");
  const { role, content, tool_calls: toolCalls, tool_call_id: toolCallId } = m as Record<string, unknown>;
  if (role === "system" || role === "developer" || role === "user") {
    return { role: role === "user" ? "user" : "system", content: parseContent(content, `${param}.content`) };
  }
  if (role === "tool") {
    if (typeof toolCallId !== "string" || toolCallId === "") throw bad(`${param}.tool_call_id`, "must be the id of the call this message answers");
    return { role, toolCallId, content: parseContent(content, `${param}.content`) };
  }
  if (role !== "assistant") throw bad(`${param}.role`, `must be system, developer, user, assistant or tool, got ${JSON.stringify(role)}`);
  if (toolCalls === undefined || toolCalls === null || (Array.isArray(toolCalls) && toolCalls.length === 0)) {
    return { role, content: parseContent(content, `${param}.content`) };
  }
  if (!Array.isArray(toolCalls)) throw bad(`${param}.tool_calls`, "must be a list of calls");
  const calls = toolCalls.map((c, j) => parseToolCall(c, `${param}.tool_calls[${j}]`));
  return { role, content: content === null || content === undefined ? "" : parseContent(content, `${param}.content`), toolCalls: calls };
}

function parseToolCall(c: unknown, param: string): ToolCall {
  const call = (typeof c === "object" && c !== null ? c : {}) as Record<string, unknown>;
  const fn = (typeof call.function === "object" && call.function !== null ? call.function : {}) as Record<string, unknown>;
  if (typeof call.id !== "string" || call.id === "") throw bad(`${param}.id`, "must be a non-empty string");
  if (call.type !== undefined && call.type !== "function") throw bad(`${param}.type`, `must be "function", got ${JSON.stringify(call.type)}`);
  if (typeof fn.name !== "string" || fn.name === "") throw bad(`${param}.function.name`, "must be a non-empty string");
  if (typeof fn.arguments !== "string") throw bad(`${param}.function.arguments`, "must be a JSON string");
  if (fn.arguments.trim() !== "") {
    try {
      JSON.parse(fn.arguments);
    } catch {
      throw bad(`${param}.function.arguments`, `is not valid JSON: ${JSON.stringify(fn.arguments.slice(0, 80))}`);
    }
  }
  return { id: call.id, name: fn.name, arguments: fn.arguments };
}

function parseContent(v: unknown, param: string): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    return v.map((part, j) => {
      const p = part as Record<string, unknown> | null;
      if (!p || p.type !== "text" || typeof p.text !== "string") throw bad(`${param}[${j}]`, "only text parts ({type: \"text\", text}) are supported");
      return p.text;
    }).join("");
  }
  throw bad(param, "must be a string or a list of text parts (null only on an assistant message with tool_calls)");
}
