/**
 * Stage 1's input: a prewarm document (PIPE-1), checked field by field so a malformed one is one line
 * naming the field (exit 64) rather than a crash halfway through the walk.
 */
import { isObject, parseStageDocument } from "./parse-stage-document.ts";
import { EXIT_REASONS, type PrewarmDocument } from "./tune-documents.ts";

const STATUSES = ["warmed", "transient", "integrity", "too_big"];
const NUMERIC_INPUTS = ["target_context", "stage1_replicates", "stage2_replicates", "gate_ttft_ms", "tps_tie_epsilon", "memory_budget_bytes"];

/** Parses and checks the JSON text; throws an Error whose message names the first bad field. */
export function parseStage1Input(text: string): PrewarmDocument {
  const doc = parseStageDocument("stage1", text, "prewarm", "prewarm");
  const bad = firstBadField(doc);
  if (bad) throw new Error(`stage1: malformed prewarm document: ${bad}`);
  return doc as unknown as PrewarmDocument;
}

function firstBadField(doc: Record<string, unknown>): string | null {
  for (const key of ["spec_version", "run_id", "started_at"]) {
    if (typeof doc[key] !== "string" || doc[key] === "") return `${key} must be a non-empty string, got ${show(doc[key])}`;
  }
  if (doc.db !== undefined && typeof doc.db !== "string") return `db must be a string, got ${show(doc.db)}`;
  if (!isObject(doc.machine)) return `machine must be an object, got ${show(doc.machine)}`;
  if (!isObject(doc.inputs)) return `inputs must be an object, got ${show(doc.inputs)}`;
  for (const key of NUMERIC_INPUTS) {
    const v = doc.inputs[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) return `inputs.${key} must be a number, got ${show(v)}`;
  }
  if (doc.exit_reason !== null && !(typeof doc.exit_reason === "string" && doc.exit_reason in EXIT_REASONS)) {
    return `exit_reason must be null or one of ${Object.keys(EXIT_REASONS).join(", ")}, got ${show(doc.exit_reason)}`;
  }
  if (!Array.isArray(doc.candidates)) return `candidates must be a list, got ${show(doc.candidates)}`;
  const names = new Set<string>();
  for (const [i, c] of doc.candidates.entries()) {
    const bad = badCandidate(c);
    if (bad) return `candidates[${i}]${bad}`;
    if (names.has(c.name)) return `candidates[${i}].name ${show(c.name)} is listed twice`;
    names.add(c.name);
  }
  return null;
}

function badCandidate(c: unknown): string | null {
  if (!isObject(c)) return ` must be an object, got ${show(c)}`;
  if (typeof c.name !== "string" || c.name === "") return `.name must be a non-empty string, got ${show(c.name)}`;
  if (typeof c.ref !== "string") return `.ref must be a string, got ${show(c.ref)}`;
  if (c.path !== null && typeof c.path !== "string") return `.path must be a string or null, got ${show(c.path)}`;
  if (typeof c.size_b !== "number" || !(c.size_b >= 0)) return `.size_b must be a number ≥ 0, got ${show(c.size_b)}`;
  if (!STATUSES.includes(c.status as string)) return `.status must be one of ${STATUSES.join(", ")}, got ${show(c.status)}`;
  if (c.reason !== null && c.reason !== undefined && typeof c.reason !== "string") return `.reason must be a string or null, got ${show(c.reason)}`;
  if (c.load_ms !== null && c.load_ms !== undefined && typeof c.load_ms !== "number") return `.load_ms must be a number or null, got ${show(c.load_ms)}`;
  return null;
}


function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v).slice(0, 60);
}
