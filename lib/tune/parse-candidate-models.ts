import type { CatalogCandidate } from "./tune-documents.ts";

/**
 * The walk order (MOD-2): `--candidate-models a,b,c` picks those catalog entries in exactly that
 * order; absent, the catalog's own order. An empty cell, a repeated name or a name the catalog lacks
 * is an Error naming the cell and its position (a usage error, exit 64).
 */
export function parseCandidateModels(raw: string | undefined, catalog: readonly CatalogCandidate[], catalogLabel: string): CatalogCandidate[] {
  if (raw === undefined) return [...catalog];
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const positions = new Map<string, number>();
  return raw.split(",").map((cell, i) => {
    const name = cell.trim();
    const position = i + 1;
    if (name === "") throw new Error(`--candidate-models has an empty cell at position ${position} in ${JSON.stringify(raw)}`);
    const first = positions.get(name);
    if (first !== undefined) throw new Error(`--candidate-models lists "${name}" twice (positions ${first} and ${position})`);
    positions.set(name, position);
    const candidate = byName.get(name);
    if (!candidate) {
      throw new Error(`--candidate-models: "${name}" at position ${position} is not in the catalog ${catalogLabel}; known: ${catalog.map((c) => c.name).join(", ")}`);
    }
    return candidate;
  });
}
