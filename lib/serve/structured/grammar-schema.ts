/**
 * A request's JSON schema in the dialect node-llama-cpp 3.21.1 turns into a grammar, checked
 * keyword by keyword: what its grammar would silently ignore (pattern, minimum, allOf, …) is a 400
 * naming the keyword's path, so an answer is never less constrained than asked. Rewrites that keep
 * the meaning: anyOf → oneOf (the grammar emits one branch, which satisfies anyOf), a type list →
 * oneOf of one branch per type, `definitions` → `$defs`, `{}` → any JSON value.
 */
import type { GbnfJsonSchema } from "node-llama-cpp";
import { schemaError } from "./schema-error.ts";
import { checkKindKeywords, KIND_KEYWORDS, type SchemaKind } from "./check-kind-keywords.ts";

type Node = Record<string, unknown>;
type Walk = (node: unknown, path: string, defs: ReadonlySet<string>, depth: number) => Node;

/** Annotations: they constrain nothing; `description` is kept (node-llama-cpp documents tools with it). */
const ANNOTATIONS = new Set(["title", "description", "examples", "default", "$comment", "$schema", "$id", "deprecated", "readOnly", "writeOnly"]);
const MAX_DEPTH = 64;
const ANY_VALUE: Node = { oneOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: "array" }, { type: "object", additionalProperties: true }] };

/** The schema node-llama-cpp's grammar enforces exactly, or a 400 naming the first part it cannot. */
export function grammarSchema(schema: unknown, param: string): GbnfJsonSchema {
  return walk(schema, param, new Set(), 0) as GbnfJsonSchema;
}

const walk: Walk = (node, path, outerDefs, depth) => {
  if (depth > MAX_DEPTH) throw schemaError(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (typeof node !== "object" || node === null || Array.isArray(node)) throw schemaError(path, "must be a JSON-schema object (boolean schemas are not supported)");
  const n = node as Node;
  const { defs, scope } = walkDefs(n, path, outerDefs, depth);
  const out: Node = typeof n.description === "string" ? { description: n.description } : {};
  if (defs) out.$defs = defs;
  const constraining = Object.keys(n).filter((k) => !ANNOTATIONS.has(k) && k !== "$defs" && k !== "definitions");
  const alone = (keyword: string, allowed: readonly string[] = []) => {
    const extra = constraining.find((k) => k !== keyword && !allowed.includes(k));
    if (extra !== undefined) throw schemaError(`${path}.${extra}`, `cannot be combined with ${keyword} (the grammar would ignore it)`);
  };

  if (n.$ref !== undefined) {
    alone("$ref");
    return { ...out, $ref: refTarget(n.$ref, `${path}.$ref`, scope) };
  }
  const union = n.anyOf !== undefined ? "anyOf" : n.oneOf !== undefined ? "oneOf" : n.allOf !== undefined ? "allOf" : null;
  if (union !== null) {
    alone(union);
    const list = n[union];
    if (!Array.isArray(list) || list.length === 0) throw schemaError(`${path}.${union}`, "must be a non-empty list of schemas");
    if (union === "allOf" && list.length > 1) throw schemaError(`${path}.allOf`, "is supported with one schema only (the grammar cannot intersect schemas)");
    const branches = list.map((s, i) => walk(s, `${path}.${union}[${i}]`, scope, depth + 1));
    return union === "allOf" ? { ...branches[0], ...out } : { ...out, oneOf: branches };
  }
  if (n.const !== undefined || n.enum !== undefined) return { ...out, ...literals(n, path, alone) };
  if (n.type === undefined) {
    if (constraining.length > 0) throw schemaError(`${path}.${constraining[0]}`, "needs a `type` beside it (the grammar applies keywords by type)");
    return { ...ANY_VALUE, ...out };
  }
  const types = typeof n.type === "string" ? [n.type] : n.type;
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== "string" || !Object.hasOwn(KIND_KEYWORDS, t))) {
    throw schemaError(`${path}.type`, `must be one of ${Object.keys(KIND_KEYWORDS).join(", ")} or a list of them, got ${JSON.stringify(n.type)}`);
  }
  if (types.length === 1) return { ...out, ...checkKindKeywords(types[0] as SchemaKind, n, constraining, path, (s, p) => walk(s, p, scope, depth + 1)) };
  // A type list: one branch per type, each with the keywords that apply to it.
  const branches = (types as SchemaKind[]).map((t) => {
    const own = constraining.filter((k) => k === "type" || KIND_KEYWORDS[t].includes(k));
    const rest = constraining.filter((k) => !Object.values(KIND_KEYWORDS).some((ks) => ks.includes(k)) && k !== "type");
    if (rest.length > 0) throw schemaError(`${path}.${rest[0]}`, "is not supported by the JSON-schema grammar");
    const branch = Object.fromEntries(own.map((k) => [k, k === "type" ? t : n[k]]));
    return checkKindKeywords(t, branch, own, path, (s, p) => walk(s, p, scope, depth + 1));
  });
  return { ...out, oneOf: branches };
};

/** `$defs` (or draft-07 `definitions`) of a node, each checked; the names visible below it. */
function walkDefs(n: Node, path: string, outer: ReadonlySet<string>, depth: number) {
  const key = n.$defs !== undefined ? "$defs" : n.definitions !== undefined ? "definitions" : null;
  if (key === null) return { defs: null, scope: outer };
  const raw = n[key];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw schemaError(`${path}.${key}`, "must be an object of schemas");
  const scope = new Set([...outer, ...Object.keys(raw)]);
  const defs = Object.fromEntries(Object.entries(raw).map(([name, s]) => [name, walk(s, `${path}.${key}.${name}`, scope, depth + 1)]));
  return { defs, scope };
}

function refTarget(ref: unknown, param: string, scope: ReadonlySet<string>): string {
  const m = typeof ref === "string" ? /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref) : null;
  if (!m) throw schemaError(param, `only local references "#/$defs/<name>" are supported, got ${JSON.stringify(ref)}`);
  if (!scope.has(m[2]!)) throw schemaError(param, `${JSON.stringify(ref)} names no definition in $defs`);
  return `#/$defs/${m[2]}`;
}

function literals(n: Node, path: string, alone: (keyword: string, allowed?: readonly string[]) => void): Node {
  const keyword = n.const !== undefined ? "const" : "enum";
  alone(keyword, ["type"]);
  const values = keyword === "const" ? [n.const] : n.enum;
  if (!Array.isArray(values) || values.length === 0) throw schemaError(`${path}.enum`, "must be a non-empty list");
  values.forEach((v, i) => {
    const param = keyword === "const" ? `${path}.const` : `${path}.enum[${i}]`;
    if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw schemaError(param, "only string, number, boolean and null values are supported");
    if (typeof v === "string" && /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v)) throw schemaError(param, "control characters other than tab, CR and LF are not supported");
  });
  return keyword === "const" ? { const: n.const } : { enum: values };
}
