import { describe, expect, test } from "bun:test";
import { findLeakedSpecialText } from "../../../lib/probe/find-leaked-special-text.ts";
import { ggufSpecialTexts } from "../../../lib/probe/gguf-special-texts.ts";
import { buildByteVocab } from "../../../lib/fixtures/byte-vocab.ts";
import { findFixtureSpec, fixtureMetadata } from "../../../lib/fixtures/fixture-family.ts";
import { RAW_BYTES_PREFIX, type GgufMetaRead } from "../../../lib/gguf/read-gguf-header.ts";

describe("findLeakedSpecialText()", () => {
  const table: { text: string; extra?: string[]; leaked: string[] }[] = [
    { text: "Hello there, how are you?", leaked: [] },
    { text: "", leaked: [] },
    { text: "Hello<|im_end|>", leaked: ["<|im_end|>"] },
    { text: "a<|im_start|>assistant\nb<|im_end|>", leaked: ["<|im_start|>", "<|im_end|>"] },
    { text: "done<|endoftext|>", leaked: ["<|endoftext|>"] },
    { text: "end of story</s><s>next", leaked: ["</s>", "<s>"] },
    { text: "<|eot_id|><|start_header_id|>user<|end_header_id|>", leaked: ["<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"] },
    { text: "<end_of_turn>", leaked: ["<end_of_turn>"] },
    // A model's own stop strings are searched as well; repeats count once.
    { text: "fine<|stop|> and <|stop|>", extra: ["<|stop|>", "<|stop|>"], leaked: ["<|stop|>"] },
    { text: "x <|stop|>", leaked: [] },
    // Look-alikes are plain text.
    { text: "use <sup>2</sup> and </span> and <|im end|>", leaked: [] },
    { text: "anything", extra: [""], leaked: [] },
  ];
  for (const row of table) {
    test(`findLeakedSpecialText() finds ${JSON.stringify(row.leaked)} in ${JSON.stringify(row.text)}`, () => {
      expect(findLeakedSpecialText(row.text, row.extra)).toEqual(row.leaked);
    });
  }
});

describe("ggufSpecialTexts()", () => {
  test("ggufSpecialTexts() lists the fixtures' control tokens (the ChatML markers, BOS and EOS)", () => {
    const metadata = new Map<string, GgufMetaRead>(fixtureMetadata(findFixtureSpec("fx-1m")!, buildByteVocab()).map((e) => [e.key, e.value as GgufMetaRead]));
    expect(ggufSpecialTexts(metadata)).toEqual(["<s>", "</s>", "<|im_start|>", "<|im_end|>"]);
  });

  test("ggufSpecialTexts() skips short, undecodable and non-control tokens, and a vocabulary that is missing", () => {
    const metadata = new Map<string, GgufMetaRead>([
      ["tokenizer.ggml.tokens", ["<|x|>", "ab", `${RAW_BYTES_PREFIX}\u00ff\u00fe\u00fd`, "<0x0A>", "word"]],
      ["tokenizer.ggml.token_type", [3, 3, 3, 6, 1]],
    ]);
    expect(ggufSpecialTexts(metadata)).toEqual(["<|x|>"]);
    expect(ggufSpecialTexts(new Map())).toEqual([]);
  });
});
