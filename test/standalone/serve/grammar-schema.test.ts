import { describe, expect, test } from "bun:test";
import { grammarSchema } from "../../../lib/serve/structured/grammar-schema.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

const P = "response_format.json_schema.schema";
const ANY = { oneOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array" }, { type: "object", additionalProperties: true }] };

describe("grammarSchema()", () => {
  test.each([
    ["a flat object", { type: "object", properties: { a: { type: "integer" }, b: { type: "string", maxLength: 5 } }, required: ["a"], additionalProperties: false },
      { type: "object", properties: { a: { type: "integer" }, b: { type: "string", maxLength: 5 } } }],
    ["anyOf as oneOf", { anyOf: [{ type: "string" }, { type: "null" }] }, { oneOf: [{ type: "string" }, { type: "null" }] }],
    ["a type list as one branch per type, each with its keywords", { type: ["string", "null"], maxLength: 3 }, { oneOf: [{ type: "string", maxLength: 3 }, { type: "null" }] }],
    ["draft-07 definitions as $defs", { definitions: { P: { type: "boolean" } }, $ref: "#/definitions/P" }, { $defs: { P: { type: "boolean" } }, $ref: "#/$defs/P" }],
    ["a recursive $ref", { $defs: { N: { type: "object", properties: { next: { anyOf: [{ $ref: "#/$defs/N" }, { type: "null" }] } } } }, $ref: "#/$defs/N" },
      { $defs: { N: { type: "object", properties: { next: { oneOf: [{ $ref: "#/$defs/N" }, { type: "null" }] } } } }, $ref: "#/$defs/N" }],
    ["{} as any JSON value", {}, ANY],
    ["a single-schema allOf inlined", { allOf: [{ type: "boolean" }], title: "t" }, { type: "boolean" }],
    ["enum and const, with type beside them", { type: "object", properties: { e: { type: "string", enum: ["a", "b"] }, c: { const: 3 } } },
      { type: "object", properties: { e: { enum: ["a", "b"] }, c: { const: 3 } } }],
    ["items: false after prefixItems as maxItems", { type: "array", prefixItems: [{ type: "null" }], items: false }, { type: "array", prefixItems: [{ type: "null" }], maxItems: 1 }],
    ["a date format", { type: "string", format: "date-time", description: "when" }, { description: "when", type: "string", format: "date-time" }],
    ["an open object without properties", { type: "object", additionalProperties: { type: "number" }, maxProperties: 3 }, { type: "object", properties: {}, additionalProperties: { type: "number" }, maxProperties: 3 }],
  ])("grammarSchema() takes %s", (_, schema, expected) => {
    expect(grammarSchema(schema, P) as unknown).toEqual(expected);
  });

  test.each([
    ["a pattern", { type: "string", pattern: "^a" }, `${P}.pattern`],
    ["a minimum, nested", { type: "object", properties: { n: { type: "integer", minimum: 0 } } }, `${P}.properties.n.minimum`],
    ["allOf of two", { allOf: [{ type: "object" }, { type: "object" }] }, `${P}.allOf`],
    ["not", { not: { type: "null" } }, `${P}.not`],
    ["a keyword beside anyOf", { type: "object", anyOf: [{ type: "object" }] }, `${P}.type`],
    ["a remote $ref", { $ref: "https://x/y.json" }, `${P}.$ref`],
    ["a $ref to nothing", { $ref: "#/$defs/Nope" }, `${P}.$ref`],
    ["an unknown format", { type: "string", format: "email" }, `${P}.format`],
    ["required naming no property", { type: "object", properties: {}, required: ["x"] }, `${P}.required`],
    ["open extra keys beside properties", { type: "object", properties: { a: { type: "null" } }, additionalProperties: true }, `${P}.additionalProperties`],
    ["maxItems below prefixItems", { type: "array", prefixItems: [{ type: "null" }, { type: "null" }], maxItems: 1 }, `${P}.maxItems`],
    ["uniqueItems", { type: "array", uniqueItems: true }, `${P}.uniqueItems`],
    ["an object enum value", { enum: [{ a: 1 }] }, `${P}.enum[0]`],
    ["properties without a type", { properties: { a: { type: "null" } } }, `${P}.properties`],
    ["an unknown type", { type: "date" }, `${P}.type`],
    ["a boolean schema", true, P],
    ["a draft-07 tuple", { type: "array", items: [{ type: "null" }] }, `${P}.items`],
  ])("grammarSchema() refuses %s with a 400 naming %p", (_, schema, param) => {
    const error = apiErrorOf(() => grammarSchema(schema, P));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message.startsWith(`${param}: `)).toBe(true);
  });

  test("grammarSchema() refuses a schema nested deeper than 64 levels", () => {
    let schema: unknown = { type: "null" };
    for (let i = 0; i < 70; i++) schema = { type: "array", items: schema };
    expect(() => grammarSchema(schema, P)).toThrow(/nested deeper than 64 levels/);
  });
});
