/**
 * REC-3: `sha256:` + 64 lowercase hex of SHA-256 over the RFC 8785 canonical JSON of exactly
 * `{machine, inputs, recommendation: {model, knobs}}` — no run id, timestamps or measured figures,
 * so the same machine and inputs choosing the same recipe give the same hash.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

export type RecipeIdentity = { machine: unknown; inputs: unknown; recommendation: { model: string; knobs: unknown } };

/** The exact text that is hashed (shown so a hash can be checked by hand). */
export function recipeCanonicalJson(recipe: RecipeIdentity): string {
  const text = canonicalize({ machine: recipe.machine, inputs: recipe.inputs, recommendation: { model: recipe.recommendation.model, knobs: recipe.recommendation.knobs } });
  if (text === undefined) throw new Error("recipeCanonicalJson: the recipe cannot be represented as JSON");
  return text;
}

export function recipeHash(recipe: RecipeIdentity): string {
  return `sha256:${createHash("sha256").update(recipeCanonicalJson(recipe)).digest("hex")}`;
}

/**
 * REC-2's `inputs`, exactly: what the operator asked for. Where files live (catalog, models folder)
 * and the detected memory budget are this run's circumstances, not the recipe's identity.
 */
export function recipeInputs(inputs: { target_context: number; candidate_models: string[]; stage1_replicates: number; stage2_replicates: number; gate_ttft_ms: number; tps_tie_epsilon: number; axes: unknown }) {
  const { target_context, candidate_models, stage1_replicates, stage2_replicates, gate_ttft_ms, tps_tie_epsilon, axes } = inputs;
  return { target_context, candidate_models, stage1_replicates, stage2_replicates, gate_ttft_ms, tps_tie_epsilon, axes };
}
