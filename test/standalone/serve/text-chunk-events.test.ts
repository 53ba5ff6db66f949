import { describe, expect, test } from "bun:test";
import { chunkBody, sseEvent, textChunkEvents } from "../../../lib/serve/openai-format.ts";

const metas = [
  { id: "cmpl-1", created: 1764547200, model: "fx-80m", kind: "text" as const },
  { id: "chatcmpl-2", created: 1, model: 'a "quoted" model \u2028', kind: "chat" as const },
];
// Texts JSON escapes differently: quotes, backslashes, controls, line separators, lone surrogates, the marker's own bytes.
const texts = ["", "hello", ' "q" \\ ', "\n\t\u0000\u001f", "\u2028\u2029", "\uFFFD\uD800", "é🙂", "\u0000macprovider-text\u0000"];

describe("textChunkEvents()", () => {
  for (const meta of metas) {
    test.each(texts)(`textChunkEvents() writes what sseEvent(chunkBody()) writes for a ${meta.kind} text %p`, (text) => {
      expect(textChunkEvents(meta)(text)).toBe(sseEvent(chunkBody(meta, { text })));
    });
  }
});
