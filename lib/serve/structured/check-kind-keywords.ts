/**
 * The keywords node-llama-cpp 3.21.1's JSON-schema grammar enforces for each `type`, and the checks
 * that keep its output valid against the schema as the client wrote it (see grammarSchema).
 */
import { schemaError as makeError } from "./schema-error.ts";

export type SchemaKind = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";
type Node = Record<string, unknown>;
type WalkChild = (schema: unknown, path: string) => Node;

export const KIND_KEYWORDS: Record<SchemaKind, readonly string[]> = {
  object: ["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
  array: ["items", "prefixItems", "minItems", "maxItems"],
  string: ["minLength", "maxLength", "format"],
  number: [],
  integer: [],
  boolean: [],
  null: [],
};

const FORMATS = ["date", "time", "date-time"];
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** One `type`'s node with its keywords checked (anything else is a 400) and children walked. */
export function checkKindKeywords(kind: SchemaKind, n: Node, keys: readonly string[], path: string, child: WalkChild): Node {
  const unknown = keys.find((k) => k !== "type" && !KIND_KEYWORDS[kind].includes(k));
  if (unknown !== undefined) throw makeError(`${path}.${unknown}`, `is not supported for type ${kind} by the JSON-schema grammar (supported: ${KIND_KEYWORDS[kind].join(", ") || "none"})`);
  if (kind === "object") return objectNode(n, path, child);
  if (kind === "array") return arrayNode(n, path, child);
  if (kind === "string") return stringNode(n, path);
  return { type: kind };
}

function count(n: Node, key: string, path: string): number | undefined {
  const v = n[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw makeError(`${path}.${key}`, `must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  return v;
}

function objectNode(n: Node, path: string, child: WalkChild): Node {
  const raw = n.properties ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw makeError(`${path}.properties`, "must be an object of schemas");
  const names = Object.keys(raw);
  const bad = names.find((k) => CONTROL.test(k));
  if (bad !== undefined) throw makeError(`${path}.properties`, `property name ${JSON.stringify(bad)} has control characters`);
  const properties = Object.fromEntries(names.map((k) => [k, child((raw as Node)[k], `${path}.properties.${k}`)]));
  const required = n.required ?? [];
  if (!Array.isArray(required) || required.some((r) => typeof r !== "string")) throw makeError(`${path}.required`, "must be a list of property names");
  const missing = required.find((r) => !names.includes(r as string));
  // The grammar writes every declared property, so `required` holds for declared ones only.
  if (missing !== undefined) throw makeError(`${path}.required`, `names ${JSON.stringify(missing)}, which is not in properties`);
  const extra = n.additionalProperties;
  if (extra !== undefined && typeof extra !== "boolean" && (typeof extra !== "object" || extra === null)) throw makeError(`${path}.additionalProperties`, "must be a boolean or a schema");
  const open = extra !== undefined && extra !== false;
  // Free keys may repeat a declared one (or each other) in the grammar's output: only without declared properties.
  if (open && names.length > 0) throw makeError(`${path}.additionalProperties`, "is supported only on an object without properties (set it to false)");
  const minProperties = count(n, "minProperties", path);
  const maxProperties = count(n, "maxProperties", path);
  if (minProperties !== undefined && minProperties > names.length) throw makeError(`${path}.minProperties`, "above the number of declared properties cannot be enforced");
  if (maxProperties !== undefined && maxProperties < names.length) throw makeError(`${path}.maxProperties`, "is below the number of declared properties, all of which the grammar writes");
  const out: Node = { type: "object", properties };
  if (open) out.additionalProperties = extra === true ? true : child(extra, `${path}.additionalProperties`);
  if (maxProperties !== undefined) out.maxProperties = maxProperties;
  return out;
}

function arrayNode(n: Node, path: string, child: WalkChild): Node {
  const out: Node = { type: "array" };
  let maxItems = count(n, "maxItems", path);
  const minItems = count(n, "minItems", path);
  if (n.prefixItems !== undefined) {
    if (!Array.isArray(n.prefixItems)) throw makeError(`${path}.prefixItems`, "must be a list of schemas");
    out.prefixItems = n.prefixItems.map((s, i) => child(s, `${path}.prefixItems[${i}]`));
    if (maxItems !== undefined && maxItems < n.prefixItems.length) throw makeError(`${path}.maxItems`, "is below the number of prefixItems, all of which the grammar writes");
  }
  if (n.items === false) maxItems = Array.isArray(n.prefixItems) ? n.prefixItems.length : 0;
  else if (Array.isArray(n.items)) throw makeError(`${path}.items`, "a list of schemas (draft-07 tuples) is not supported; use prefixItems");
  else if (n.items !== undefined) out.items = child(n.items, `${path}.items`);
  if (minItems !== undefined && maxItems !== undefined && maxItems < minItems) throw makeError(`${path}.maxItems`, "is below minItems");
  if (minItems !== undefined) out.minItems = minItems;
  if (maxItems !== undefined) out.maxItems = maxItems;
  return out;
}

function stringNode(n: Node, path: string): Node {
  if (n.format !== undefined) {
    if (typeof n.format !== "string" || !FORMATS.includes(n.format)) throw makeError(`${path}.format`, `must be one of ${FORMATS.join(", ")} (the formats the grammar enforces), got ${JSON.stringify(n.format)}`);
    if (n.minLength !== undefined || n.maxLength !== undefined) throw makeError(`${path}.format`, "cannot be combined with minLength/maxLength (the grammar would ignore them)");
    return { type: "string", format: n.format };
  }
  const minLength = count(n, "minLength", path);
  const maxLength = count(n, "maxLength", path);
  if (minLength !== undefined && maxLength !== undefined && maxLength < minLength) throw makeError(`${path}.maxLength`, "is below minLength");
  return { type: "string", ...(minLength !== undefined ? { minLength } : {}), ...(maxLength !== undefined ? { maxLength } : {}) };
}
