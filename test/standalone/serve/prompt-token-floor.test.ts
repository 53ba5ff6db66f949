import { describe, expect, test } from "bun:test";
import { promptTokenFloor, tokenFloorApplies } from "../../../lib/serve/prompt-token-floor.ts";
import { samplingSeed } from "../../../lib/serve/sampling-seed.ts";

const text = (prompt: string) => ({ kind: "text" as const, messages: [], prompt });
const chat = (...contents: string[]) => ({ kind: "chat" as const, prompt: "", messages: contents.map((content) => ({ role: "user" as const, content })) });

describe("promptTokenFloor()", () => {
  test.each([
    ["ASCII text", text("x".repeat(120)), 12, 10],
    ["a remainder rounds up", text("x".repeat(121)), 12, 11],
    ["multi-byte text counts bytes", text("é".repeat(6)), 12, 1],
    ["chat contents add up", chat("x".repeat(12), "y".repeat(12)), 12, 2],
    ["chat contents count trimmed (a template may trim them)", chat(`  ${"x".repeat(12)}  \n`), 12, 1],
    ["an empty prompt", text(""), 12, 0],
  ])("promptTokenFloor() of %s", (_, request, longest, floor) => {
    expect(promptTokenFloor(request, longest)).toBe(floor);
  });

  test.each([
    ["llama", true],
    ["gpt2", true],
    ["ugm", false],
    ["bert", false],
  ])("tokenFloorApplies(%p) is %p", (model, applies) => {
    expect(tokenFloorApplies(model)).toBe(applies);
  });
});

describe("samplingSeed()", () => {
  const random = () => 123456;
  test.each([
    ["no seed: a random one", undefined, 123456],
    ["-1 (llama-server's random): a random one", -1, 123456],
    ["0", 0, 0],
    ["a seed as given", 42, 42],
    ["a negative seed as its unsigned 32-bit value", -2, 2 ** 32 - 2],
    ["a seed past 32 bits, wrapped", 2 ** 32 + 5, 5],
  ])("samplingSeed() takes %s", (_, seed, expected) => {
    expect(samplingSeed(seed, random)).toBe(expected);
  });
});
