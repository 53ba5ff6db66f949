import { describe, expect, test } from "bun:test";
import { FrameSplitter, sseDataPayloads, sseEventData } from "../../../lib/probe/frame-splitter.ts";

describe("FrameSplitter", () => {
  test("FrameSplitter splits SSE events across arbitrary chunk boundaries", () => {
    const s = new FrameSplitter("\n\n");
    expect(s.push("data: a\n")).toEqual([]);
    expect(s.push("\ndata: b\n\nda")).toEqual(["data: a", "data: b"]);
    expect(s.rest()).toBe("da");
  });

  test("FrameSplitter treats CRLF line ends like LF, even split between chunks", () => {
    const s = new FrameSplitter("\n\n");
    expect(s.push("data: a\r\n\r")).toEqual([]);
    expect(s.push("\ndata: b\r\n\r\n")).toEqual(["data: a", "data: b"]);
  });

  test("FrameSplitter holds a UTF-8 character split between byte chunks", () => {
    const s = new FrameSplitter("\n");
    const bytes = new TextEncoder().encode('{"t":"é"}\n');
    expect(s.push(bytes.subarray(0, 7))).toEqual([]);
    expect(s.push(bytes.subarray(7))).toEqual(['{"t":"é"}']);
  });
});

describe("sseEventData() and sseDataPayloads()", () => {
  test.each([
    ["data: x", "x"],
    ["data:x", "x"],
    ["data: a\ndata: b", "a\nb"],
    [": keep-alive", null],
    ["event: ping\ndata: {}", "{}"],
  ])("sseEventData(%p) is %p", (event, data) => {
    expect(sseEventData(event)).toBe(data);
  });

  test("sseDataPayloads() returns every data payload of a whole stream, the last one unterminated included", () => {
    expect(sseDataPayloads(": hi\n\ndata: 1\n\ndata: [DONE]")).toEqual(["1", "[DONE]"]);
  });
});
