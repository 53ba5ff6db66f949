/**
 * Apply's input: a stage2 document (PIPE-1). Only what apply uses is checked — the exit reason and
 * the recommendation's model path and knobs — far enough that a malformed one is one line naming
 * the field (exit 64); whether the recipe serves is serve's own preflight's to say.
 */
import { isObject, parseStageDocument } from "../tune/parse-stage-document.ts";
import type { Recommendation } from "../tune/stage2-document.ts";
import { EXIT_REASONS, type ExitReason } from "../tune/tune-documents.ts";

export type ApplyInput = {
  exit_reason: ExitReason;
  recommendation: Pick<Recommendation, "model" | "model_path" | "knobs"> | null;
};

const KNOB_CHECKS: Record<keyof Recommendation["knobs"], [(v: unknown) => boolean, string]> = {
  kv_bits: [(v) => v === null || v === 4 || v === 8, "4, 8 or null"],
  max_context_override: [isPositiveInteger, "a positive integer"],
  max_concurrency_override: [isPositiveInteger, "a positive integer"],
  threads: [isPositiveInteger, "a positive integer"],
  flash_attention: [(v) => v === "auto" || v === "on" || v === "off", "auto, on or off"],
  engine: [(v) => v === "prebuilt" || v === "local" || v === "auto", "prebuilt, local or auto"],
  gpu: [(v) => v === null || v === "metal" || v === "cuda" || v === "vulkan" || v === "off" || v === "auto", "metal, cuda, vulkan, off, auto or null"],
  gpu_layers: [(v) => v === null || v === "auto" || v === "max" || isPositiveInteger(v) || v === 0, "auto, max, a layer count or null"],
};

export function parseApplyInput(text: string): ApplyInput {
  const doc = parseStageDocument("apply", text, "stage2", "stage2");
  if (typeof doc.exit_reason !== "string" || !Object.hasOwn(EXIT_REASONS, doc.exit_reason)) {
    throw new Error(`apply: malformed stage2 document: exit_reason ${JSON.stringify(doc.exit_reason)} is not one of ${Object.keys(EXIT_REASONS).join(", ")}`);
  }
  const rec = doc.recommendation;
  if (rec === null) return { exit_reason: doc.exit_reason as ExitReason, recommendation: null };
  if (!isObject(rec)) throw new Error("apply: malformed stage2 document: recommendation must be an object or null");
  if (typeof rec.model_path !== "string" || rec.model_path === "") throw new Error("apply: malformed stage2 document: recommendation.model_path must be a non-empty string");
  if (!isObject(rec.knobs)) throw new Error("apply: malformed stage2 document: recommendation.knobs must be an object");
  for (const [key, [ok, allowed]] of Object.entries(KNOB_CHECKS)) {
    if (!ok(rec.knobs[key])) throw new Error(`apply: malformed stage2 document: recommendation.knobs.${key} is ${JSON.stringify(rec.knobs[key])}, expected ${allowed}`);
  }
  return { exit_reason: doc.exit_reason as ExitReason, recommendation: rec as ApplyInput["recommendation"] };
}

function isPositiveInteger(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

