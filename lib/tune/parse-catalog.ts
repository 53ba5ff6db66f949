/**
 * A candidate catalog (MOD-2) parsed strictly: `candidates: [{name, model, size_b, sha256?, bytes?}]`.
 * Every error names the catalog, the entry and the field, so a typo is found without guessing.
 */
import { parse } from "yaml";
import type { CatalogCandidate } from "./tune-documents.ts";
import { parseModelRef } from "./model-ref.ts";

export type CatalogSource = {
  /** How errors name the catalog: `fixtures`, `builtin` or the file's path. */
  label: string;
  /** Folder that relative model paths are resolved against; null when they are not allowed. */
  baseDir: string | null;
};

const ENTRY_KEYS = new Set(["name", "model", "size_b", "sha256", "bytes"]);
// Names go in --candidate-models lists and trial rows: no commas, spaces or quotes.
const NAME = /^[A-Za-z0-9][\w.+-]*$/;

/** Candidates in catalog order; `model` of a local entry is its absolute path. */
export function parseCatalog(text: string, source: CatalogSource): CatalogCandidate[] {
  const fail = (detail: string) => new Error(`catalog ${source.label}: ${detail}`);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw fail(`not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!isRecord(doc)) throw fail("expected a mapping with a `candidates:` list at the top");
  const extra = Object.keys(doc).filter((k) => k !== "candidates");
  if (extra.length > 0) throw fail(`unknown top-level key "${extra[0]}"; only \`candidates\` is allowed`);
  const list = doc.candidates;
  if (!Array.isArray(list) || list.length === 0) throw fail("`candidates` must be a non-empty list");

  const seen = new Map<string, number>();
  return list.map((entry, i) => {
    const candidate = parseEntry(entry, `candidate ${i + 1}`, source, fail);
    const first = seen.get(candidate.name);
    if (first !== undefined) throw fail(`candidate ${i + 1}: name "${candidate.name}" repeats candidate ${first}`);
    seen.set(candidate.name, i + 1);
    return candidate;
  });
}

function parseEntry(entry: unknown, where: string, source: CatalogSource, fail: (detail: string) => Error): CatalogCandidate {
  if (!isRecord(entry)) throw fail(`${where}: expected a mapping with name, model and size_b`);
  const name = entry.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw fail(`${where}: field name must be letters, digits and . _ + - (no spaces or commas), got ${JSON.stringify(name ?? null)}`);
  }
  const at = `${where} ("${name}")`;
  const unknown = Object.keys(entry).find((k) => !ENTRY_KEYS.has(k));
  if (unknown) throw fail(`${at}: unknown field "${unknown}"; allowed: ${[...ENTRY_KEYS].join(", ")}`);

  if (typeof entry.model !== "string") throw fail(`${at}: field model must be a string (a path, hf:owner/repo:QUANT, a URL or fixture:NAME), got ${JSON.stringify(entry.model ?? null)}`);
  let model: string;
  try {
    const ref = parseModelRef(entry.model, source.baseDir);
    model = ref.kind === "path" ? ref.path : ref.ref;
  } catch (error) {
    throw fail(`${at}: field model: ${(error as Error).message}`);
  }

  const size = entry.size_b;
  if (typeof size !== "number" || !Number.isFinite(size) || size <= 0) {
    throw fail(`${at}: field size_b must be a positive number of billions of parameters, got ${JSON.stringify(size ?? null)}`);
  }
  const candidate: CatalogCandidate = { name, model, size_b: size };

  if (entry.sha256 !== undefined) {
    if (typeof entry.sha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(entry.sha256)) {
      throw fail(`${at}: field sha256 must be 64 hex digits, got ${JSON.stringify(entry.sha256)}`);
    }
    candidate.sha256 = entry.sha256.toLowerCase();
  }
  if (entry.bytes !== undefined) {
    if (typeof entry.bytes !== "number" || !Number.isSafeInteger(entry.bytes) || entry.bytes <= 0) {
      throw fail(`${at}: field bytes must be a positive whole number, got ${JSON.stringify(entry.bytes)}`);
    }
    candidate.bytes = entry.bytes;
  }
  return candidate;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
