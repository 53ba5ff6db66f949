import { describe, expect, test } from "bun:test";
import { parseTools } from "../../../lib/serve/tools/parse-tools.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

const tool = (name: string, parameters?: unknown) => ({ type: "function", function: { name, description: `does ${name}`, ...(parameters === undefined ? {} : { parameters }) } });
const weather = tool("get_weather", { type: "object", properties: { city: { type: "string" } }, required: ["city"] });

describe("parseTools()", () => {
  test("parseTools() reads functions, defaulting tool_choice to auto and no parameters to an empty object", () => {
    expect(parseTools({ tools: [weather, tool("now")] }, "chat")).toEqual({
      functions: [
        { name: "get_weather", description: "does get_weather", params: { type: "object", properties: { city: { type: "string" } } } },
        { name: "now", description: "does now", params: { type: "object", properties: {} } },
      ],
      choice: "auto",
    });
  });

  test.each([["none"], ["required"], ["auto"]] as const)("parseTools() reads tool_choice %p", (choice) => {
    expect(parseTools({ tools: [weather], tool_choice: choice }, "chat")!.choice).toBe(choice);
  });

  test("parseTools() reads a named function", () => {
    expect(parseTools({ tools: [weather], tool_choice: { type: "function", function: { name: "get_weather" } } }, "chat")!.choice).toEqual({ name: "get_weather" });
  });

  test("parseTools() is null without tools, or with an empty list", () => {
    expect(parseTools({}, "chat")).toBeNull();
    expect(parseTools({ tools: [], tool_choice: "none", parallel_tool_calls: false }, "text")).toBeNull();
  });

  test.each([
    [{ tools: [weather] }, "text", "tools"],
    [{ tools: weather }, "chat", "tools"],
    [{ tools: [{ type: "custom", custom: {} }] }, "chat", "tools[0].type"],
    [{ tools: [tool("get weather")] }, "chat", "tools[0].function.name"],
    [{ tools: [tool("a"), tool("a")] }, "chat", "tools"],
    [{ tools: [tool("f", { type: "object", properties: { x: { type: "string", pattern: "a" } } })] }, "chat", "tools[0].function.parameters.properties.x.pattern"],
    [{ tools: [weather], tool_choice: "any" }, "chat", "tool_choice"],
    [{ tools: [weather], tool_choice: { type: "function", function: { name: "other" } } }, "chat", "tool_choice"],
    [{ tool_choice: "required" }, "chat", "tool_choice"],
    [{ tools: [weather], parallel_tool_calls: "yes" }, "chat", "parallel_tool_calls"],
    [{ functions: [{ name: "f" }] }, "chat", "functions"],
  ] as const)("parseTools(%o, %p) is a 400 naming %p", (body, kind, param) => {
    const error = apiErrorOf(() => parseTools(body as Record<string, unknown>, kind));
    expect(error.param).toBe(param);
  });
});
