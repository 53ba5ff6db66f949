/** Hand-made prewarm documents for the Stage 1 tests (the prewarm stage is not needed to test Stage 1). */
import type { PrewarmCandidate, PrewarmDocument } from "../../../lib/tune/tune-documents.ts";

export function prewarmDoc(candidates: PrewarmCandidate[] = [candidate("m")], extra: Partial<PrewarmDocument> = {}): PrewarmDocument {
  return {
    stage: "prewarm", spec_version: "1", run_id: "run-1", started_at: "2026-01-01T00:00:00.000Z", db: "/tmp/x.db",
    inputs: { target_context: 4096, candidate_models: candidates.map((c) => c.name), stage1_replicates: 3, stage2_replicates: 3, gate_ttft_ms: 1500, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 1e10, catalog: "c.yaml", models_dir: "/m" },
    machine: { ram_gb: 24, chip: "cpu", os_version: "Linux", binary_version: "0.1.0", physical_cores: 2 },
    candidates, exit_reason: null, ...extra,
  };
}

export function candidate(name: string, extra: Partial<PrewarmCandidate> = {}): PrewarmCandidate {
  return { name, ref: `/models/${name}.gguf`, path: `/models/${name}.gguf`, size_b: 1, status: "warmed", reason: null, estimate_bytes: 1e9, load_ms: 100, ...extra };
}
