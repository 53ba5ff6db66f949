import { describe, expect, test } from "bun:test";
import { checkGgufHeader, GgufIntegrityError, type IntegrityDefect } from "../../../lib/gguf/check-gguf-header.ts";
import { layoutGguf, type GgufMetaEntry } from "../../../lib/gguf/layout-gguf.ts";
import { bufferSource, readGgufHeader, shownName } from "../../../lib/gguf/read-gguf-header.ts";
import { LLAMA_HPARAMS } from "./llama-hparams.ts";

const TOKENIZER: GgufMetaEntry[] = [{ key: "tokenizer.ggml.model", kind: "string", value: "none" }];

/** The defect checkGgufHeader finds in a llama header with `change` applied to its hyperparameters. */
function defectWith(architecture: string, hparams: readonly GgufMetaEntry[]): { defect: IntegrityDefect | "ok"; message: string } {
  const meta: GgufMetaEntry[] = [{ key: "general.architecture", kind: "string", value: architecture }, ...hparams, ...TOKENIZER];
  try {
    checkGgufHeader("m.gguf", readGgufHeader(bufferSource(layoutGguf(meta, []).header)));
    return { defect: "ok", message: "" };
  } catch (error) {
    if (!(error instanceof GgufIntegrityError)) throw error;
    return { defect: error.defect, message: error.message };
  }
}

const without = (key: string) => LLAMA_HPARAMS.filter((e) => e.key !== key);
const replaced = (key: string, entry: Omit<GgufMetaEntry, "key">) => LLAMA_HPARAMS.map((e) => (e.key === key ? ({ key, ...entry } as GgufMetaEntry) : e));

describe("checkGgufHeader() hyperparameters", () => {
  test("checkGgufHeader() passes a llama header with every key llama.cpp needs", () => {
    expect(defectWith("llama", LLAMA_HPARAMS).defect).toBe("ok");
  });

  // Without context, embedding or block count llama.cpp refuses the load; without feed-forward size
  // or head count it asserts on a tensor shape and aborts the process (seen with fx-1m).
  test.each([
    "llama.context_length",
    "llama.embedding_length",
    "llama.block_count",
    "llama.feed_forward_length",
    "llama.attention.head_count",
    "llama.attention.layer_norm_rms_epsilon",
  ])("checkGgufHeader() flags a llama header without %s as missing_key", (key) => {
    const { defect, message } = defectWith("llama", without(key));
    expect(defect).toBe("missing_key");
    expect(message).toContain(`${key} is missing; llama.cpp needs it to load a llama model`);
  });

  test.each(["llama.rope.dimension_count", "llama.attention.head_count_kv"])("checkGgufHeader() accepts a llama header without the optional %s", (key) => {
    expect(defectWith("llama", without(key)).defect).toBe("ok");
  });

  test("checkGgufHeader() asks an architecture it has no table for only for the keys every architecture needs", () => {
    const general = LLAMA_HPARAMS.filter((e) => /context_length|embedding_length|block_count/.test(e.key)).map((e) => ({ ...e, key: e.key.replace("llama.", "mamba.") }));
    expect(defectWith("mamba", general).defect).toBe("ok");
    expect(defectWith("mamba", general.slice(1)).defect).toBe("missing_key");
  });

  test.each([
    ["more layers than llama.cpp loads", replaced("llama.block_count", { kind: "u32", value: 513 }), /block_count is 513; llama\.cpp loads at most 512 layers/],
    ["a feed-forward size of 0", replaced("llama.feed_forward_length", { kind: "u32", value: 0 }), /feed_forward_length is 0; it must be a positive integer/],
    ["a head count of 0", replaced("llama.attention.head_count", { kind: "u32", value: 0 }), /head_count is 0/],
    ["a KV head count of 0", replaced("llama.attention.head_count_kv", { kind: "u32", value: 0 }), /head_count_kv is 0/],
    ["a head count as text", replaced("llama.attention.head_count", { kind: "string", value: "4" }), /head_count is "4"/],
    ["heads that do not divide the embedding", replaced("llama.attention.head_count", { kind: "u32", value: 3 }), /head_count is 3; 3 does not divide the embedding length 128/],
    ["more heads than embedding values", replaced("llama.attention.head_count", { kind: "u32", value: 256 }), /head_count is 256; 256 does not divide/],
    ["KV heads that do not divide the heads", replaced("llama.attention.head_count_kv", { kind: "u32", value: 3 }), /head_count_kv is 3; 3 does not divide the head count 4/],
    ["a per-layer head count with a 0", replaced("llama.attention.head_count", { kind: "i32s", value: [4, 0] }), /head_count is \[4, 0\]/],
    ["an epsilon that is not a number", replaced("llama.attention.layer_norm_rms_epsilon", { kind: "string", value: "x" }), /layer_norm_rms_epsilon is "x"; it must be a finite number ≥ 0/],
    // ggml asserts eps >= 0 at the first decode: the model loads, then the process aborts.
    ["a negative epsilon", replaced("llama.attention.layer_norm_rms_epsilon", { kind: "f32", value: -1e-5 }), /layer_norm_rms_epsilon is -0\.0000\d+; it must be a finite number ≥ 0/],
    ["an unknown RoPE scaling type", [...LLAMA_HPARAMS, { key: "llama.rope.scaling.type", kind: "string", value: "yarnx" }], /rope\.scaling\.type is "yarnx"; it must be one of none, linear, yarn, longrope/],
    ["more experts used than there are", [...LLAMA_HPARAMS, { key: "llama.expert_count", kind: "u32", value: 8 }, { key: "llama.expert_used_count", kind: "u32", value: 9 }], /expert_used_count is 9; it must be from 1 to the expert count 8/],
    ["experts used without experts", [...LLAMA_HPARAMS, { key: "llama.expert_used_count", kind: "u32", value: 2 }], /expert_used_count is 2; it must be from 1 to the expert count 0 \(0 without experts\)/],
    ["more experts than llama.cpp loads", [...LLAMA_HPARAMS, { key: "llama.expert_count", kind: "u32", value: 2048 }, { key: "llama.expert_used_count", kind: "u32", value: 2 }], /expert_count is 2048; llama\.cpp loads at most 1024 experts/],
    ["expert groups that do not divide the experts", [...LLAMA_HPARAMS, { key: "llama.expert_count", kind: "u32", value: 8 }, { key: "llama.expert_used_count", kind: "u32", value: 2 }, { key: "llama.expert_group_count", kind: "u32", value: 3 }], /expert_group_count is 3/],
    ["more next-token layers than layers", [...LLAMA_HPARAMS, { key: "llama.nextn_predict_layers", kind: "u32", value: 3 }], /nextn_predict_layers is 3; it must be an integer from 0 to the block count 2/],
  ] as const)("checkGgufHeader() flags %s as bad_hparam", (_, hparams, message) => {
    const found = defectWith("llama", hparams);
    expect(found.defect).toBe("bad_hparam");
    expect(found.message).toMatch(message);
  });

  test.each([
    ["per-layer head counts", replaced("llama.attention.head_count", { kind: "i32s", value: [4, 4] })],
    ["a mixture of experts", [...LLAMA_HPARAMS, { key: "llama.expert_count", kind: "u32", value: 8 }, { key: "llama.expert_used_count", kind: "u32", value: 2 }, { key: "llama.expert_group_count", kind: "u32", value: 4 }, { key: "llama.expert_group_used_count", kind: "u32", value: 2 }]],
    ["YaRN scaling", [...LLAMA_HPARAMS, { key: "llama.rope.scaling.type", kind: "string", value: "yarn" }]],
  ] as const)("checkGgufHeader() accepts %s", (_, hparams) => {
    expect(defectWith("llama", hparams as readonly GgufMetaEntry[]).defect).toBe("ok");
  });
});

describe("shownName()", () => {
  test.each([
    ["a plain name", "blk.0.attn_q.weight", '"blk.0.attn_q.weight"'],
    ["a newline and a quote", 'a\n"b', '"a\\x0a\\"b"'],
    ["raw bytes (not UTF-8)", "\uFFFF\u00c3\u0028", '"\\xc3("'],
    ["a long name, cut", "x".repeat(100), `"${"x".repeat(60)}…"`],
  ])("shownName() shows %s on one line", (_, name, shown) => {
    expect(shownName(name)).toBe(shown);
  });
});
