/**
 * One candidate through pre-warm (PW-1…3): make it local, check it, estimate its memory at the
 * target context, and read the weights once when it fits. Never loads the model.
 */
import type { Llama } from "node-llama-cpp";
import { estimateNeed } from "../../engine/io/estimate-need.ts";
import { checkSha256 } from "../check-sha256.ts";
import { classifyPrewarmFailure, type PrewarmStep } from "../classify-prewarm-failure.ts";
import { memoryFitReason } from "../memory-fit-reason.ts";
import { parseModelRef } from "../model-ref.ts";
import type { CatalogCandidate, PrewarmCandidate } from "../tune-documents.ts";
import { checkModelFile } from "./check-model-file.ts";
import type { DownloadProgress } from "./download-model.ts";
import { makeModelLocal } from "./make-model-local.ts";
import { readWeightsOnce } from "./read-weights-once.ts";

export type PrewarmContext = {
  llama: Llama;
  modelsDir: string;
  fixturesDir: string;
  targetContext: number;
  memoryBudgetBytes: number;
  stallMs: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
};

/** The candidate's entry in the document, and the error behind a failure (for --verbose). */
export type PrewarmOutcome = { candidate: PrewarmCandidate; error: unknown };

export async function prewarmCandidate(c: CatalogCandidate, ctx: PrewarmContext): Promise<PrewarmOutcome> {
  const entry: PrewarmCandidate = { name: c.name, ref: c.model, path: null, size_b: c.size_b, status: "warmed", reason: null, estimate_bytes: null, load_ms: null };
  let step: PrewarmStep = "fetch";
  try {
    let hashed = false;
    const local = await makeModelLocal(parseModelRef(c.model, null), {
      modelsDir: ctx.modelsDir,
      fixturesDir: ctx.fixturesDir,
      stallMs: ctx.stallMs,
      onProgress: ctx.onProgress,
      signal: ctx.signal,
      // A download is checked whole before it may enter the models folder.
      async verify(staged) {
        checkModelFile(staged, c);
        if (c.sha256 !== undefined) checkSha256(staged, c.sha256, (await readWeightsOnce(staged, { sha256: true })).sha256);
        hashed = true;
      },
    });
    entry.path = local.path;
    step = "check";
    checkModelFile(local.path, c);
    step = "estimate";
    const knobs = { kvBits: null, maxContext: ctx.targetContext, maxBatch: 1, threads: 1, flashAttention: "auto" } as const;
    // What serve would offload by default (gpu auto, gpu_layers auto) and need with it.
    const est = await estimateNeed(ctx.llama, local.path, knobs);
    entry.estimate_bytes = est.need.ramBytes;
    if (est.backend !== null) entry.estimate_vram_bytes = est.need.vramBytes;
    const pools = { ramBudgetBytes: ctx.memoryBudgetBytes, vramBudgetBytes: est.vramBudgetBytes };
    const tooBig = memoryFitReason(est.need, pools, ctx.targetContext, est.backend === null ? null : est);
    if (tooBig) return { candidate: { ...entry, status: "too_big", reason: tooBig }, error: null };
    step = "read";
    const read = await readWeightsOnce(local.path, { sha256: c.sha256 !== undefined && !hashed });
    checkSha256(local.path, c.sha256, read.sha256);
    return { candidate: { ...entry, load_ms: read.ms }, error: null };
  } catch (error) {
    const failure = classifyPrewarmFailure(error, step);
    return { candidate: { ...entry, status: failure.status, reason: failure.reason }, error };
  }
}
