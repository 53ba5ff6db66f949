/**
 * The candidates a run walks and the memory budget they are held to, from `--catalog`,
 * `--candidate-models` and `--memory-budget`: shared by prewarm and autotune's dry run, so the plan
 * shows exactly the walk the run would make. Usage errors name the flag (exit 64).
 */
import { asUsage } from "../../cli/cli-error.ts";
import { memoryBudgetBytes } from "../../serve/memory-budget.ts";
import { DEFAULT_CATALOG } from "../builtin-catalogs.ts";
import { parseByteSize } from "../parse-byte-size.ts";
import { parseCandidateModels } from "../parse-candidate-models.ts";
import type { CatalogCandidate } from "../tune-documents.ts";
import { loadCatalog } from "./load-catalog.ts";

export type WalkFlags = { catalog?: string; "candidate-models"?: string; "memory-budget"?: string };

export function resolveCandidateWalk(flags: WalkFlags, cwd: string, totalRamBytes: number): { catalogLabel: string; walk: CatalogCandidate[]; memoryBudgetBytes: number } {
  const catalog = asUsage(() => loadCatalog(flags.catalog ?? DEFAULT_CATALOG, cwd));
  const walk = asUsage(() => parseCandidateModels(flags["candidate-models"], catalog.candidates, catalog.label));
  const budget = flags["memory-budget"];
  return {
    catalogLabel: catalog.label,
    walk,
    memoryBudgetBytes: budget === undefined ? memoryBudgetBytes(totalRamBytes) : asUsage(() => parseByteSize("--memory-budget", budget)),
  };
}
