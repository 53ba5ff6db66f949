import { describe, expect, test } from "bun:test";
import { StopScanner } from "../../../lib/serve/stop-scanner.ts";

describe("StopScanner", () => {
  const run = (stops: string[], pieces: string[]) => {
    const s = new StopScanner(stops);
    const out = pieces.map((p) => s.push(p));
    out.push(s.flush());
    return { text: out.join(""), stopped: s.stopped, out };
  };

  test.each([
    [["END"], ["hello ", "wor", "ld"], "hello world", false],
    [["END"], ["hello E", "N", "D and more"], "hello ", true],
    [["<|im_end|>"], ["a<|im", "_end|>b"], "a", true],
    [["xy", "abc"], ["0ab", "c1xy"], "0", true],
    [["END"], ["E", "N", "X"], "ENX", false],
    [["END"], ["tail E"], "tail E", false],
  ])("StopScanner(%p) over %p gives %p", (stops, pieces, text, stopped) => {
    const r = run(stops, pieces);
    expect(r.text).toBe(text);
    expect(r.stopped).toBe(stopped);
  });

  test("StopScanner holds back only what could start a stop string", () => {
    const s = new StopScanner(["<|im_end|>"]);
    expect(s.push("hello <|im")).toBe("hello ");
    expect(s.push("age")).toBe("<|image");
  });
});
