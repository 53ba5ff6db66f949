/**
 * `response_format` → the JSON schema the answer's grammar enforces, or none. `json_object` is any
 * JSON object; `json_schema` takes `{name, schema, strict, description}` (strict or not, the grammar
 * enforces the schema); llama-server's `{"type": "json_object", "schema": …}` is read as well.
 */
import type { GbnfJsonSchema } from "node-llama-cpp";
import { grammarSchema } from "./grammar-schema.ts";
import { schemaError } from "./schema-error.ts";

export type ResponseFormat = { type: "text" } | { type: "json"; schema: GbnfJsonSchema };

export const ANY_OBJECT: GbnfJsonSchema = { type: "object", additionalProperties: true };

export function parseResponseFormat(v: unknown): ResponseFormat {
  if (v === undefined || v === null) return { type: "text" };
  if (typeof v !== "object" || Array.isArray(v)) throw schemaError("response_format", "must be an object with a type");
  const f = v as Record<string, unknown>;
  if (f.type === "text") return { type: "text" };
  if (f.type === "json_object") {
    return { type: "json", schema: f.schema === undefined ? ANY_OBJECT : grammarSchema(f.schema, "response_format.schema") };
  }
  if (f.type !== "json_schema") throw schemaError("response_format.type", `must be text, json_object or json_schema, got ${JSON.stringify(f.type)}`);
  const spec = f.json_schema;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) throw schemaError("response_format.json_schema", "must be an object with name and schema");
  const { name, schema, strict } = spec as Record<string, unknown>;
  if (typeof name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw schemaError("response_format.json_schema.name", `must be 1 to 64 letters, digits, _ or -, got ${JSON.stringify(name)}`);
  }
  if (strict !== undefined && strict !== null && typeof strict !== "boolean") throw schemaError("response_format.json_schema.strict", "must be true or false");
  return { type: "json", schema: schema === undefined ? ANY_OBJECT : grammarSchema(schema, "response_format.json_schema.schema") };
}
