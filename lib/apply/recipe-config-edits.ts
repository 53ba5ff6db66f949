/**
 * Which config keys a recipe writes and which it removes (APL-1). The owned keys are serve's YAML
 * names; a knob the recipe leaves unset (kv_bits = F16; gpu and gpu_layers on a CPU-only machine,
 * where serve's auto is the CPU) is removed, so serve falls back to its own default instead of a
 * stale value.
 */
import type { Recommendation } from "../tune/stage2-document.ts";

/** The keys apply owns, in the order new ones are appended to a config file. */
export const OWNED_CONFIG_KEYS = [
  "model", "kv_bits", "max_context_override", "max_concurrency_override", "threads", "flash_attention", "engine", "gpu", "gpu_layers",
] as const;

export type OwnedConfigKey = (typeof OWNED_CONFIG_KEYS)[number];

export type ConfigEdits = {
  /** Keys to set, with their YAML values (numbers stay numbers). */
  set: [OwnedConfigKey, string | number][];
  /** Keys to delete when present. */
  remove: OwnedConfigKey[];
};

export function recipeConfigEdits(rec: Pick<Recommendation, "model_path" | "knobs">): ConfigEdits {
  const values: Record<OwnedConfigKey, string | number | null> = { model: rec.model_path, ...rec.knobs };
  const edits: ConfigEdits = { set: [], remove: [] };
  for (const key of OWNED_CONFIG_KEYS) {
    const value = values[key];
    if (value === null || value === undefined) edits.remove.push(key);
    else edits.set.push([key, value]);
  }
  return edits;
}
