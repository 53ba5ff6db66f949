import { describe, expect, test } from "bun:test";
import { fileNameFromUrl, parseModelRef } from "../../../lib/tune/model-ref.ts";

describe("parseModelRef()", () => {
  test.each([
    ["fixture:fx-80m", { kind: "fixture", ref: "fixture:fx-80m", fixture: "fx-80m" }],
    ["hf:bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", { kind: "hf", ref: "hf:bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M" }],
    ["hf:owner/repo", { kind: "hf", ref: "hf:owner/repo" }],
    ["hf:owner/repo/dir/model-Q8_0.gguf#dev", { kind: "hf", ref: "hf:owner/repo/dir/model-Q8_0.gguf#dev" }],
    ["https://host/path/Model%20X.gguf?download=1", { kind: "url", ref: "https://host/path/Model%20X.gguf?download=1", fileName: "Model_X.gguf" }],
    ["/abs/m.gguf", { kind: "path", ref: "/abs/m.gguf", path: "/abs/m.gguf" }],
    ["rel/m.gguf", { kind: "path", ref: "rel/m.gguf", path: "/base/rel/m.gguf" }],
    ["../m.gguf", { kind: "path", ref: "../m.gguf", path: "/m.gguf" }],
  ])("parseModelRef(%p) classifies it", (ref, expected) => {
    expect(parseModelRef(ref, "/base")).toEqual(expected as never);
  });

  test.each([
    ["", /empty/],
    [" /a.gguf", /surrounding spaces/],
    ["fixture:fx-3m", /names no fixture/],
    ["hf:owner", /not of the form hf:owner\/repo:QUANT/],
    ["hf:owner/repo/readme.md", /not of the form/],
    ["ftp://host/a.gguf", /unsupported scheme/],
    ["https://host/dir/", /names no file/],
  ])("parseModelRef(%p) fails naming the reference", (ref, message) => {
    expect(() => parseModelRef(ref, "/base")).toThrow(message);
  });

  test("fileNameFromUrl() keeps a long name under 100 characters with its extension", () => {
    const name = fileNameFromUrl(`https://h/${"x".repeat(300)}.gguf`);
    expect(name.length).toBe(100);
    expect(name.endsWith(".gguf")).toBe(true);
  });
});
