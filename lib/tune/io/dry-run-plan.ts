/** The facts `--dry-run` needs, read without downloading, generating, loading or writing anything. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { estimateNeed } from "../../engine/io/estimate-need.ts";
import type { CandidateFacts } from "../autotune-plan.ts";
import { parseModelRef } from "../model-ref.ts";
import type { CatalogCandidate } from "../tune-documents.ts";
import { findLocalModel } from "./make-model-local.ts";

export async function candidateFacts(c: CatalogCandidate, o: { fixturesDir: string; modelsDir: string; targetContext: number; llama: Llama }): Promise<CandidateFacts> {
  const localPath = await localPathOf(c, o);
  if (localPath === null) return { localPath, estimateBytes: null };
  try {
    const est = await estimateNeed(o.llama, localPath, { kvBits: null, maxContext: o.targetContext, maxBatch: 1, threads: 1, flashAttention: "auto" });
    if (est.backend === null) return { localPath, estimateBytes: est.need.ramBytes };
    return { localPath, estimateBytes: est.need.ramBytes, vram: { bytes: est.need.vramBytes, budgetBytes: est.vramBudgetBytes } };
  } catch {
    return { localPath, estimateBytes: null }; // pre-warm's integrity check will say why
  }
}

async function localPathOf(c: CatalogCandidate, o: { fixturesDir: string; modelsDir: string }): Promise<string | null> {
  const ref = parseModelRef(c.model, null);
  switch (ref.kind) {
    case "path": return existsSync(ref.path) ? ref.path : null;
    case "fixture": {
      const path = join(o.fixturesDir, `${ref.fixture}.gguf`);
      return existsSync(path) ? path : null;
    }
    default: return findLocalModel(ref, o.modelsDir);
  }
}
