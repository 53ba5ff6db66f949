/**
 * The small parsers the knob table is made of. Each takes a raw value (a CLI/env string or a YAML
 * value) and throws a message naming what is allowed; `resolveServeConfig` adds knob, value, source.
 */
import type { GpuLayersChoice } from "../engine/engine-knobs.ts";
import { parseIntegerOption } from "../cli/parse-integer-option.ts";

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: unknown): number => {
    try {
      return parseIntegerOption("value", typeof raw === "number" && Number.isInteger(raw) ? String(raw) : typeof raw === "string" ? raw : "x", min, max);
    } catch {
      throw new Error(`an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}`);
    }
  };
}

export function nonEmptyString(raw: unknown): string {
  if (typeof raw !== "string" || raw.trim() === "") throw new Error("a non-empty string");
  return raw;
}

export function orNull<T>(parse: (raw: unknown) => T) {
  return (raw: unknown): T | null => (raw === null ? null : parse(raw));
}

/**
 * A closed set of words: the text of `allowed` and the parse error are made from the same list.
 * `aliases` map other accepted inputs (YAML booleans, "unset") to a value.
 */
export function enumKnob<T>(values: readonly (T & string)[], aliases: ReadonlyMap<unknown, T> = new Map(), note = "") {
  const allowed = (values.length > 1 ? `${values.slice(0, -1).join(", ")} or ${values.at(-1)}` : values.join("")) + note;
  const parse = (raw: unknown): T => {
    if (aliases.has(raw)) return aliases.get(raw)!;
    const text = String(raw).trim().toLowerCase();
    if (aliases.has(text)) return aliases.get(text)!;
    if ((values as readonly string[]).includes(text)) return text as T;
    throw new Error(allowed);
  };
  return { allowed, parse };
}

export const GPU_LAYERS_ALLOWED = "auto, max or an integer from 0 up";

/** `auto`, `max` or a layer count (a YAML number, or digits). */
export function gpuLayers(raw: unknown): GpuLayersChoice {
  const text = String(raw).trim().toLowerCase();
  if (text === "auto" || text === "max") return text;
  if ((typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) || (typeof raw === "string" && /^\d{1,9}$/.test(text))) return Number(text);
  throw new Error(GPU_LAYERS_ALLOWED);
}
