import { describe, expect, test } from "bun:test";
import { functionNameGrammar, parseFunctionName } from "../../../lib/serve/tools/function-name-grammar.ts";

describe("functionNameGrammar()", () => {
  test("functionNameGrammar() lists the names, then a newline, with the wrapper's optional space", () => {
    expect(functionNameGrammar(["get_weather", "get"], true)).toBe('root ::= [ ]? ("get_weather" | "get") [\\n]');
    expect(functionNameGrammar(["f"], false)).toBe('root ::= ("f") [\\n]');
  });

  test("parseFunctionName() takes the name without the optional space", () => {
    expect(parseFunctionName(" get", ["get_weather", "get"])).toBe("get");
  });

  test("parseFunctionName() throws on a name that is not offered", () => {
    expect(() => parseFunctionName("nope", ["get"])).toThrow(/names no offered function/);
  });
});
