/**
 * The hyperparameters llama.cpp reads before any tensor. A key it requires but cannot find fails
 * the load; but many impossible values trip an assertion that aborts the whole process: a head
 * count or feed-forward size of 0 (a missing optional key reads as 0), heads that do not divide the
 * embedding, more than 512 layers, expert counts that disagree, an unknown RoPE scaling type, a
 * negative norm epsilon (at the first decode). So the integrity check knows, per architecture, which
 * keys must be there, and for every architecture what those keys may hold.
 */
import type { FailFn } from "./gguf-integrity-error.ts";
import type { GgufHeaderRead, GgufMetaRead } from "./read-gguf-header.ts";

/** Read by llama.cpp for every architecture, with no default. */
const EVERY_ARCHITECTURE = ["context_length", "embedding_length", "block_count"];

/**
 * Attention transformers loaded the way llama is (llama.cpp's llama-model.cpp): feed-forward size
 * and head count per layer, and an RMS-norm epsilon without a default.
 */
const LLAMA_LIKE = new Set(["llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3"]);
const LLAMA_LIKE_KEYS = ["feed_forward_length", "attention.head_count", "attention.layer_norm_rms_epsilon"];

/** Keys that hold one positive integer, or one per layer. */
const SIZE_KEYS = ["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count", "attention.head_count_kv"];

/** llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS. */
const MAX_LAYERS = 512;
const MAX_EXPERTS = 1024;
const ROPE_SCALING_TYPES = new Set(["none", "linear", "yarn", "longrope"]);

type Get = (name: string) => GgufMetaRead | undefined;

/** Throws through `fail` for a missing key (`missing_key`) or an impossible value (`bad_hparam`). */
export function checkHyperparameters(meta: GgufHeaderRead["metadata"], architecture: string, fail: FailFn): void {
  const key = (name: string) => `${architecture}.${name}`;
  const get: Get = (name) => meta.get(key(name));
  const bad = (name: string, why: string) => fail("bad_hparam", `${key(name)} is ${shown(get(name))}; ${why}`);
  const required = [...EVERY_ARCHITECTURE, ...(LLAMA_LIKE.has(architecture) ? LLAMA_LIKE_KEYS : [])];
  for (const name of required) {
    if (get(name) === undefined) throw fail("missing_key", `${key(name)} is missing; llama.cpp needs it to load a ${architecture} model`);
  }
  for (const name of SIZE_KEYS) {
    if (get(name) !== undefined && integers(get(name)!, 1) === null) throw bad(name, "it must be a positive integer (or one per layer)");
  }
  const layers = integers(get("block_count")!, 1)![0]!;
  if (layers > MAX_LAYERS) throw bad("block_count", `llama.cpp loads at most ${MAX_LAYERS} layers`);
  const nextn = get("nextn_predict_layers");
  if (nextn !== undefined && (integers(nextn, 0)?.[0] ?? Infinity) > layers) throw bad("nextn_predict_layers", `it must be an integer from 0 to the block count ${layers}`);
  for (const name of ["attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon"]) {
    const epsilon = get(name);
    if (epsilon !== undefined && !(typeof epsilon === "number" && Number.isFinite(epsilon) && epsilon >= 0)) throw bad(name, "it must be a finite number ≥ 0");
  }
  const scaling = get("rope.scaling.type");
  if (scaling !== undefined && !(typeof scaling === "string" && ROPE_SCALING_TYPES.has(scaling))) throw bad("rope.scaling.type", `it must be one of ${[...ROPE_SCALING_TYPES].join(", ")}`);
  checkExperts(get, bad);
  if (LLAMA_LIKE.has(architecture)) checkHeads(get, bad);
}

/** llama.cpp's assertions on mixture-of-experts counts (all absent: no experts). */
function checkExperts(get: Get, bad: (name: string, why: string) => Error): void {
  const count = (name: string) => (get(name) === undefined ? [0] : integers(get(name)!, 0));
  for (const name of ["expert_count", "expert_used_count", "expert_group_count", "expert_group_used_count"]) {
    if (count(name) === null) throw bad(name, "it must be a non-negative integer (or one per layer)");
  }
  const experts = count("expert_count")![0]!;
  const used = Math.max(...count("expert_used_count")!);
  const groups = count("expert_group_count")![0]!;
  const groupsUsed = count("expert_group_used_count")![0]!;
  if (experts > MAX_EXPERTS) throw bad("expert_count", `llama.cpp loads at most ${MAX_EXPERTS} experts`);
  if (experts === 0 ? used !== 0 : used === 0 || used > experts) throw bad("expert_used_count", `it must be from 1 to the expert count ${experts} (0 without experts)`);
  if (experts === 0 ? groups !== 0 : groups >= experts || (groups > 1 && experts % groups !== 0)) throw bad("expert_group_count", `it must divide the expert count ${experts} and be smaller`);
  if (groups > 1 && (groupsUsed === 0 || groupsUsed >= groups)) throw bad("expert_group_used_count", `it must be from 1 to ${groups - 1}`);
}

/** Heads divide the embedding, KV heads divide the heads: otherwise a tensor shape of 0 aborts. */
function checkHeads(get: Get, bad: (name: string, why: string) => Error): void {
  const embedding = integers(get("embedding_length")!, 1)![0]!;
  const heads = integers(get("attention.head_count")!, 1)!;
  const kvHeads = get("attention.head_count_kv") === undefined ? heads : integers(get("attention.head_count_kv")!, 1)!;
  for (const h of heads) {
    if (embedding % h !== 0) throw bad("attention.head_count", `${h} does not divide the embedding length ${embedding}`);
  }
  for (const [i, kv] of kvHeads.entries()) {
    const h = heads[Math.min(i, heads.length - 1)]!;
    if (h % kv !== 0) throw bad("attention.head_count_kv", `${kv} does not divide the head count ${h}`);
  }
}

/** The integers ≥ `min` a key holds (one, or one per layer); null for anything else. */
function integers(value: GgufMetaRead, min: number): number[] | null {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return null;
  return list.every((v) => typeof v === "number" && Number.isInteger(v) && v >= min) ? (list as number[]) : null;
}

function shown(value: GgufMetaRead | undefined): string {
  const text = Array.isArray(value) ? `[${value.slice(0, 4).map(String).join(", ")}${value.length > 4 ? ", …" : ""}]` : typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
