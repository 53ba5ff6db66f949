import { describe, expect, test } from "bun:test";
import { ProbeAccumulator } from "../../../lib/probe/probe-accumulator.ts";

const delta = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}`;

describe("ProbeAccumulator", () => {
  test("ProbeAccumulator times TTFT from the send time given, not from the first event", () => {
    const probe = new ProbeAccumulator(1000);
    probe.response(200);
    expect(probe.pushEvent(`data: ${JSON.stringify({ choices: [{ delta: { role: "assistant", content: "" } }] })}`, 1100)).toBe(false);
    expect(probe.hasFirstToken).toBe(false);
    probe.pushEvent(delta("a"), 1250);
    expect(probe.hasFirstToken).toBe(true);
    probe.pushEvent(delta("b"), 1350);
    expect(probe.pushEvent("data: [DONE]", 1360)).toBe(true);
    expect(probe.finish(1400)).toMatchObject({ ok: true, ttftMs: 250, totalMs: 400, completionTokens: 2, decodeTokensPerSecond: 10, text: "ab" });
  });

  test("ProbeAccumulator ignores events after the stream is decided", () => {
    const probe = new ProbeAccumulator(0);
    probe.response(200);
    probe.pushEvent("data: [DONE]", 1);
    expect(probe.pushEvent(delta("late"), 2)).toBe(true);
    expect(probe.finish(3)).toMatchObject({ ok: true, text: "", ttftMs: null, completionTokens: null });
  });

  test("ProbeAccumulator fails JSON that is not an object as malformed data", () => {
    for (const data of ["42", "null", "[1]", '"text"']) {
      const probe = new ProbeAccumulator(0);
      probe.response(200);
      expect(probe.pushEvent(`data: ${data}`, 1)).toBe(true);
      expect(probe.finish(2).error).toBe(`malformed SSE data (not a JSON object): ${data}`);
    }
  });

  test("ProbeAccumulator reports why reading stopped when the stream was not decided", () => {
    const probe = new ProbeAccumulator(0);
    probe.response(200);
    probe.pushEvent(": keep-alive", 5);
    expect(probe.finish(6000, "no first token within 6000 ms")).toMatchObject({ ok: false, ttftMs: null, error: "no first token within 6000 ms" });
  });

  test("ProbeAccumulator quotes a non-JSON error body on one line", () => {
    const probe = new ProbeAccumulator(0);
    probe.response(502, "<html>\n  Bad Gateway\n</html>");
    expect(probe.done).toBe(true);
    expect(probe.finish(1).error).toBe("HTTP 502: <html> Bad Gateway </html>");
  });

  test("ProbeAccumulator takes an error event's plain-string form too", () => {
    const probe = new ProbeAccumulator(0);
    probe.response(200);
    probe.pushEvent(`data: ${JSON.stringify({ error: "overloaded\nretry" })}`, 1);
    expect(probe.finish(2).error).toBe("stream error: overloaded retry");
  });
});
