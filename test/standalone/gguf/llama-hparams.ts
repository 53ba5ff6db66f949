/** Test data: the hyperparameters llama.cpp needs to load a small llama model (see checkHyperparameters). */
import type { GgufMetaEntry } from "../../../lib/gguf/layout-gguf.ts";

export const LLAMA_HPARAMS: readonly GgufMetaEntry[] = [
  { key: "llama.context_length", kind: "u32", value: 4096 },
  { key: "llama.embedding_length", kind: "u32", value: 128 },
  { key: "llama.block_count", kind: "u32", value: 2 },
  { key: "llama.feed_forward_length", kind: "u32", value: 256 },
  { key: "llama.attention.head_count", kind: "u32", value: 4 },
  { key: "llama.attention.head_count_kv", kind: "u32", value: 2 },
  { key: "llama.attention.layer_norm_rms_epsilon", kind: "f32", value: 1e-5 },
];
