import { describe, expect, test } from "bun:test";
import { ANY_OBJECT, parseResponseFormat } from "../../../lib/serve/structured/parse-response-format.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

describe("parseResponseFormat()", () => {
  test.each([
    [undefined, { type: "text" }],
    [{ type: "text" }, { type: "text" }],
    [{ type: "json_object" }, { type: "json", schema: ANY_OBJECT }],
    [{ type: "json_object", schema: { type: "boolean" } }, { type: "json", schema: { type: "boolean" } }],
    [{ type: "json_schema", json_schema: { name: "answer", strict: true, schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false } } },
      { type: "json", schema: { type: "object", properties: { ok: { type: "boolean" } } } }],
    [{ type: "json_schema", json_schema: { name: "any" } }, { type: "json", schema: ANY_OBJECT }],
  ])("parseResponseFormat(%o) is %o", (format, expected) => {
    expect(parseResponseFormat(format) as unknown).toEqual(expected);
  });

  test.each([
    ["json", "response_format"],
    [{ type: "xml" }, "response_format.type"],
    [{ type: "json_schema" }, "response_format.json_schema"],
    [{ type: "json_schema", json_schema: { schema: {} } }, "response_format.json_schema.name"],
    [{ type: "json_schema", json_schema: { name: "x", strict: "yes" } }, "response_format.json_schema.strict"],
    [{ type: "json_schema", json_schema: { name: "x", schema: { type: "number", multipleOf: 2 } } }, "response_format.json_schema.schema.multipleOf"],
  ])("parseResponseFormat(%o) is a 400 naming %p", (format, param) => {
    const error = apiErrorOf(() => parseResponseFormat(format));
    expect(error.param).toBe(param);
  });
});
