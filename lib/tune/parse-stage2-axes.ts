/**
 * S2-1: the Stage 2 axes from their flags, strictly: an empty cell, a duplicate, a value outside the
 * axis, or a context cap below the target context is an error naming the flag, the cell and its
 * position (the scripts map it to exit 64). An absent or empty axis is its default.
 */
import type { EngineChoice, FlashAttentionMode, GpuBackend, GpuLayersChoice, KvBits } from "../engine/engine-knobs.ts";

export type Stage2Axes = {
  kv_bits: KvBits[];
  max_batch: number[];
  max_context: number[];
  threads: number[];
  flash_attention: FlashAttentionMode[];
  engine: Exclude<EngineChoice, "auto">[];
  /** The machine's accelerator every cell runs on (not searched); absent on a CPU-only machine. */
  gpu?: GpuBackend;
  /** Layers offloaded; present exactly when `gpu` is. */
  gpu_layers?: GpuLayersChoice[];
};

export type AxisFlag = "kv-bits-axis" | "max-batch-axis" | "max-context-axis" | "threads-axis" | "flash-attention-axis" | "engine-axis" | "gpu-layers-axis";

/** `gpu`: the backend node-llama-cpp detects, or null/absent on a CPU-only machine. */
export type AxisDefaults = { targetContext: number; cores: number; engines: Exclude<EngineChoice, "auto">[]; gpu?: GpuBackend | null };

export function defaultStage2Axes(d: AxisDefaults): Stage2Axes {
  return {
    kv_bits: [null, 8, 4],
    max_batch: [1, 2, 4],
    max_context: [d.targetContext],
    threads: Array.from({ length: Math.max(1, d.cores) }, (_, i) => i + 1),
    flash_attention: ["off", "on"],
    engine: d.engines,
    ...(d.gpu ? { gpu: d.gpu, gpu_layers: ["max" as const] } : {}),
  };
}

export function parseStage2Axes(raw: Partial<Record<AxisFlag, string>>, d: AxisDefaults): Stage2Axes {
  const defaults = defaultStage2Axes(d);
  const int = (min: number, max: number) => (cell: string) => {
    const n = /^\d+$/.test(cell) ? Number(cell) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`an integer from ${min} to ${max}`);
    return n;
  };
  const word = <T extends string>(words: readonly T[]) => (cell: string) => {
    if (!(words as readonly string[]).includes(cell.toLowerCase())) throw new Error(`one of ${words.join(", ")}`);
    return cell.toLowerCase() as T;
  };
  const kv = (cell: string): KvBits => {
    const text = cell.toLowerCase();
    if (text === "none" || text === "unset" || text === "f16") return null;
    if (text === "4" || text === "8") return Number(text) as 4 | 8;
    throw new Error("4, 8 or none");
  };
  const layers = (cell: string): GpuLayersChoice => {
    const text = cell.toLowerCase();
    if (text === "auto" || text === "max") return text;
    if (!/^\d{1,6}$/.test(text)) throw new Error("auto, max or a layer count from 0 up");
    return Number(text);
  };
  if (!d.gpu && raw["gpu-layers-axis"]?.trim()) throw new Error("--gpu-layers-axis needs a GPU, and node-llama-cpp detects none on this machine");
  const contexts = parseAxis("max-context-axis", raw["max-context-axis"], int(1, 10_000_000), defaults.max_context);
  const below = contexts.find((c) => c < d.targetContext);
  if (below !== undefined) throw new Error(`--max-context-axis has a cap ${below} below --target-context ${d.targetContext}; every cap must serve the target context`);
  return {
    kv_bits: parseAxis("kv-bits-axis", raw["kv-bits-axis"], kv, defaults.kv_bits),
    max_batch: parseAxis("max-batch-axis", raw["max-batch-axis"], int(1, 256), defaults.max_batch),
    max_context: [...contexts].sort((a, b) => a - b),
    threads: parseAxis("threads-axis", raw["threads-axis"], int(1, 1024), defaults.threads),
    flash_attention: parseAxis("flash-attention-axis", raw["flash-attention-axis"], word(["off", "on", "auto"] as const), defaults.flash_attention),
    engine: parseAxis("engine-axis", raw["engine-axis"], word(["prebuilt", "local"] as const), defaults.engine),
    ...(d.gpu ? { gpu: d.gpu, gpu_layers: parseAxis("gpu-layers-axis", raw["gpu-layers-axis"], layers, defaults.gpu_layers!) } : {}),
  };
}

/** One comma list: `parseCell` throws the allowed values; duplicates compare the parsed values. */
export function parseAxis<T>(flag: AxisFlag, raw: string | undefined, parseCell: (cell: string) => T, fallback: T[]): T[] {
  if (raw === undefined || raw.trim() === "") return fallback;
  const out: T[] = [];
  for (const [i, text] of raw.split(",").entries()) {
    const cell = text.trim();
    const where = `--${flag} has ${cell === "" ? "an empty cell" : `"${cell}"`} at position ${i + 1} in "${raw}"`;
    if (cell === "") throw new Error(where);
    let value: T;
    try {
      value = parseCell(cell);
    } catch (error) {
      throw new Error(`${where}; allowed: ${(error as Error).message}`);
    }
    if (out.includes(value)) throw new Error(`${where}, a duplicate`);
    out.push(value);
  }
  return out;
}
