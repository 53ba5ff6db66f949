/**
 * `tools`, `tool_choice` and `parallel_tool_calls` of a chat request → the functions offered and
 * how the answer may use them. Each function's `parameters` go through grammarSchema, since the
 * call's arguments are generated under that schema's grammar.
 */
import type { GbnfJsonSchema } from "node-llama-cpp";
import { grammarSchema } from "../structured/grammar-schema.ts";
import { schemaError as bad } from "../structured/schema-error.ts";

export type ToolFunction = { name: string; description: string | undefined; params: GbnfJsonSchema };
/** auto: the model may call; none: it answers in text; required: it calls one of them; {name}: it calls that one. */
export type ToolChoice = "auto" | "none" | "required" | { name: string };
export type Tools = { functions: ToolFunction[]; choice: ToolChoice };

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const NO_PARAMS: GbnfJsonSchema = { type: "object", properties: {} };

/** null when the request offers no tools. `kind`: tools are a chat feature. */
export function parseTools(body: Record<string, unknown>, kind: "chat" | "text"): Tools | null {
  const { tools, tool_choice: choice, parallel_tool_calls: parallel } = body;
  for (const legacy of ["functions", "function_call"]) {
    if (body[legacy] !== undefined && body[legacy] !== null) throw bad(legacy, "the deprecated functions API is not served; send tools and tool_choice");
  }
  if (parallel !== undefined && parallel !== null && typeof parallel !== "boolean") throw bad("parallel_tool_calls", "must be true or false");
  const none = tools === undefined || tools === null || (Array.isArray(tools) && tools.length === 0);
  if (none) {
    if (choice !== undefined && choice !== null && choice !== "none" && choice !== "auto") throw bad("tool_choice", "needs tools to choose from");
    return null;
  }
  if (kind === "text") throw bad("tools", "only /v1/chat/completions takes tools");
  if (!Array.isArray(tools)) throw bad("tools", "must be a list of {type: \"function\", function: {name, description, parameters}}");
  const functions = tools.map(parseTool);
  const names = functions.map((f) => f.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw bad("tools", `function name ${JSON.stringify(twice)} is given twice`);
  return { functions, choice: parseChoice(choice, names) };
}

function parseTool(t: unknown, i: number): ToolFunction {
  const param = `tools[${i}]`;
  const tool = (typeof t === "object" && t !== null ? t : {}) as Record<string, unknown>;
  if (tool.type !== "function") throw bad(`${param}.type`, `must be "function", got ${JSON.stringify(tool.type)}`);
  const fn = tool.function;
  if (typeof fn !== "object" || fn === null || Array.isArray(fn)) throw bad(`${param}.function`, "must be an object with name, description and parameters");
  const { name, description, parameters } = fn as Record<string, unknown>;
  if (typeof name !== "string" || !NAME.test(name)) throw bad(`${param}.function.name`, `must be 1 to 64 letters, digits, _ or -, got ${JSON.stringify(name)}`);
  if (description !== undefined && description !== null && typeof description !== "string") throw bad(`${param}.function.description`, "must be a string");
  const params = parameters === undefined || parameters === null ? NO_PARAMS : grammarSchema(parameters, `${param}.function.parameters`);
  return { name, description: typeof description === "string" ? description : undefined, params };
}

function parseChoice(v: unknown, names: readonly string[]): ToolChoice {
  if (v === undefined || v === null) return "auto";
  if (v === "auto" || v === "none" || v === "required") return v;
  const c = (typeof v === "object" && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  const name = (c.function as Record<string, unknown> | undefined)?.name;
  if (c.type !== "function" || typeof name !== "string") {
    throw bad("tool_choice", `must be "auto", "none", "required" or {type: "function", function: {name}}, got ${JSON.stringify(v).slice(0, 100)}`);
  }
  if (!names.includes(name)) throw bad("tool_choice", `names function ${JSON.stringify(name)}, which is not in tools`);
  return { name };
}
