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
