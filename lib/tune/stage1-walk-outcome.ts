/**
 * What a Stage 1 walk decided (S1-1, S1-4): the first feasible candidate, the infeasible ones
 * smallest first whatever the walk order, and the smaller candidates the walk never reached.
 */
import type { Stage1Infeasible } from "./stage1-document.ts";

/** A candidate in walk order. */
export type WalkCandidate = { name: string; size_b: number };

/** A walked candidate's verdict; `reason` is null exactly when feasible. */
export type WalkStep = { name: string; feasible: boolean; reason: string | null };

export type WalkOutcome = {
  /** The first feasible candidate walked; null when none was. */
  selected: string | null;
  infeasible: Stage1Infeasible[];
  alternates: string[];
  /** "even <smallest>: <reason>" when nothing is feasible; else null. */
  message: string | null;
};

/** `steps` are the walked candidates in walk order; a walk stops at its first feasible step. */
export function stage1WalkOutcome(candidates: readonly WalkCandidate[], steps: readonly WalkStep[]): WalkOutcome {
  const rankOf = new Map(candidates.map((c, i) => [c.name, i + 1]));
  const sizeOf = new Map(candidates.map((c) => [c.name, c.size_b]));
  const selectedStep = steps.find((s) => s.feasible) ?? null;
  const infeasible = steps
    .filter((s) => !s.feasible)
    .map((s) => ({ model: s.name, rank: rankOf.get(s.name) ?? 0, size_b: sizeOf.get(s.name) ?? 0, reason: s.reason ?? "infeasible" }))
    // Smallest first; equal sizes keep the walk order.
    .sort((a, b) => a.size_b - b.size_b || a.rank - b.rank);
  if (!selectedStep) {
    const smallest = infeasible[0];
    return { selected: null, infeasible, alternates: [], message: smallest ? `even ${smallest.model}: ${smallest.reason}` : "no candidates to probe" };
  }
  const walked = new Set(steps.map((s) => s.name));
  const selectedSize = sizeOf.get(selectedStep.name) ?? 0;
  const alternates = candidates.filter((c) => !walked.has(c.name) && c.size_b < selectedSize).map((c) => c.name);
  return { selected: selectedStep.name, infeasible, alternates, message: null };
}
