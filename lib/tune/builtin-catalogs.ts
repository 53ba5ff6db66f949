/**
 * The catalogs shipped inside the program (MOD-2, FIX-2), embedded as text so the compiled binary
 * carries them: `fixtures` (the default: synthetic models, offline) and `builtin` (real instruct
 * models on Hugging Face).
 */
import fixturesCatalog from "../../fixtures/catalog.fixtures.yaml" with { type: "text" };
import builtinCatalog from "../../fixtures/catalog.builtin.yaml" with { type: "text" };

export const BUILTIN_CATALOGS: Readonly<Record<"fixtures" | "builtin", string>> = {
  fixtures: fixturesCatalog as string,
  builtin: builtinCatalog as string,
};

export type BuiltinCatalogName = keyof typeof BUILTIN_CATALOGS;

/** The catalog `--catalog` defaults to (FIX-2: the demo runs offline). */
export const DEFAULT_CATALOG: BuiltinCatalogName = "fixtures";

export function isBuiltinCatalog(name: string): name is BuiltinCatalogName {
  return Object.hasOwn(BUILTIN_CATALOGS, name);
}
