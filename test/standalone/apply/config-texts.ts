/** Config files for apply's tests: one full of comments, blank lines, quoting and unrelated keys. */
import type { Recommendation } from "../../../lib/tune/stage2-document.ts";

/**
 * Every owned key but max_concurrency_override is present; no newline at the end. The lines are
 * serve-valid, so the same text passes serve's real preflight in the model tests.
 */
export const RICH_CONFIG = [
  "# macprovider — serve settings for the studio machine",
  "# (owned keys are rewritten by `macprovider apply`)",
  "",
  "# The model: quoted, its path has a space",
  'model: "/Volumes/Models/old model.gguf"   # previous pick',
  "",
  "host: '127.0.0.1'          # loopback only",
  "port:    8080",
  'api_key: "s3cr&t: with # hash"  ',
  "   ",
  "# KV cache precision (unset = F16)",
  "kv_bits: 8",
  "max_context_override: 4096",
  "threads: 4 # physical cores",
  "",
  "  # an indented comment with a\ttab",
  "extra:",
  "  nested: [1, 2,   3]",
  "  list:",
  "  - a",
  '  - "b"',
  "  note: >",
  "    folded text",
  "    continues here",
  "flash_attention: 'auto'",
  "engine: auto",
  "max_queue: 0x40",
  "unrelated_null: ~",
  "",
  "# trailing comment, no newline at the end",
].join("\n");

export const OWNED = new Set(["model", "kv_bits", "max_context_override", "max_concurrency_override", "threads", "flash_attention", "engine", "gpu", "gpu_layers"]);

/** The lines of a config that are not a top-level owned `key: value` line. */
export function nonOwnedLines(text: string): string[] {
  return text.split("\n").filter((line) => !OWNED.has(/^([a-z_]+)\s*:/.exec(line)?.[1] ?? ""));
}

/** The top-level owned `key: value` lines, in file order. */
export function ownedLines(text: string): string[] {
  return text.split("\n").filter((line) => OWNED.has(/^([a-z_]+)\s*:/.exec(line)?.[1] ?? ""));
}

export function recipe(modelPath: string, knobs: Partial<Recommendation["knobs"]> = {}): Pick<Recommendation, "model_path" | "knobs"> {
  return {
    model_path: modelPath,
    knobs: { kv_bits: null, max_context_override: 1024, max_concurrency_override: 2, threads: 2, flash_attention: "off", engine: "prebuilt", gpu: null, gpu_layers: null, ...knobs },
  };
}
