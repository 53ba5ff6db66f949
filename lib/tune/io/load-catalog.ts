/** `--catalog fixtures|builtin|FILE` → its candidates; a FILE's relative model paths resolve against its folder. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { BUILTIN_CATALOGS, isBuiltinCatalog } from "../builtin-catalogs.ts";
import { parseCatalog } from "../parse-catalog.ts";
import type { CatalogCandidate } from "../tune-documents.ts";

export type LoadedCatalog = {
  /** `fixtures`, `builtin`, or the catalog file's absolute path (TuneInputs.catalog). */
  label: string;
  candidates: CatalogCandidate[];
};

/** Throws an Error naming the catalog (and the entry and field, for a malformed one). */
export function loadCatalog(choice: string, cwd: string): LoadedCatalog {
  if (isBuiltinCatalog(choice)) {
    return { label: choice, candidates: parseCatalog(BUILTIN_CATALOGS[choice], { label: choice, baseDir: null }) };
  }
  const path = resolve(cwd, choice);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new Error(`--catalog: cannot read the catalog file ${path}: ${e.code ?? e.message} (built-in catalogs: ${Object.keys(BUILTIN_CATALOGS).join(", ")})`);
  }
  return { label: path, candidates: parseCatalog(text, { label: path, baseDir: dirname(path) }) };
}
