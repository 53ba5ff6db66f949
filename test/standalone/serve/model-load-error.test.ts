import { describe, expect, test } from "bun:test";
import { llamaLoadReason, ModelLoadError } from "../../../lib/serve/model-load-error.ts";

describe("llamaLoadReason()", () => {
  // Error lines as llama.cpp logged them for fixtures corrupted by the fuzz test.
  test.each([
    ["a missing key", ["llama_model_load: error loading model: error loading model hyperparameters: key not found in model: llama.context_length", "llama_model_load_from_file_impl: failed to load model"], "error loading model hyperparameters: key not found in model: llama.context_length"],
    ["a missing tensor", ["llama_model_load: error loading model: missing tensor 'blk.3.ffn_down.weight'", "llama_model_load_from_file_impl: failed to load model"], "missing tensor 'blk.3.ffn_down.weight'"],
    ["a generic line after a specific one", ["gguf_init_from_reader: tensor 'blk.1.attn_v.weight' has offset 385568, expected 328480", "gguf_init_from_reader: failed to read tensor data", "llama_model_load: error loading model: llama_model_loader: failed to load model from /m.gguf"], "tensor 'blk.1.attn_v.weight' has offset 385568, expected 328480"],
    ["only generic lines", ["llama_model_load_from_file_impl: failed to load model"], "failed to load model"],
    ["control bytes in a name", ["llama_model_load: error loading model: missing tensor 'a\nb\u0001c'"], "missing tensor 'a b c'"],
    ["no lines at all", [], "Failed to load model"],
  ])("llamaLoadReason() with %s", (_, lines, reason) => {
    expect(llamaLoadReason(lines, "Failed to load model")).toBe(reason);
  });

  test("llamaLoadReason() cuts a very long reason", () => {
    expect(llamaLoadReason([`missing tensor '${"x".repeat(1000)}'`], "")).toHaveLength(301);
  });
});

describe("ModelLoadError", () => {
  test("ModelLoadError names the file and the reason, and exits 65 (EX_DATAERR)", () => {
    const error = new ModelLoadError("/m/x.gguf", "missing tensor 'a'");
    expect(error.message).toBe("model file /m/x.gguf could not be loaded by llama.cpp: missing tensor 'a'");
    expect(error.exitCode).toBe(65);
  });
});
