import { describe, expect, test } from "bun:test";
import { parseLogitBias } from "../../../lib/serve/parse-logit-bias.ts";
import { apiErrorOf } from "../../helpers/api-error-of.ts";

describe("parseLogitBias()", () => {
  test.each([
    ["OpenAI's object (ids in the order JavaScript keeps integer keys)", { "50256": -100, "13": 2.5 }, [[13, 2.5], [50256, -100]]],
    ["llama-server's pairs, false = never", [[7, false], [8, 0.5]], [[7, -Infinity], [8, 0.5]]],
    ["an empty object", {}, []],
    ["a token given twice (the last wins)", [[3, 1], [3, -1]], [[3, -1]]],
  ])("parseLogitBias() reads %s", (_name, input, expected) => {
    expect([...parseLogitBias(input)]).toEqual(expected as [number, number][]);
  });

  test.each([
    ["a number", 5, "must be an object mapping token ids to biases"],
    ["a string", "x", "must be an object"],
    ["a text key", { hello: 1 }, 'keys must be token ids (integers from 0 to 2147483647), got "hello"'],
    ["text in a pair (llama-server tokenizes it; it is not an id here)", [["9", 1]], 'a pair\'s first item must be a token id (a number; text is not supported), got "9"'],
    ["a negative id", [[-1, 1]], "keys must be token ids (integers from 0 to 2147483647), got -1"],
    ["an id past llama.cpp's int32 tokens", { "4294967296": 1 }, "got 4294967296"],
    ["a fractional id", [[1.5, 1]], "got 1.5"],
    ["a bias over 100", { "5": 101 }, 'the bias of token 5 must be a number from -100 to 100 (or false for never), got 101'],
    ["a bias of true", [[5, true]], "got true"],
    ["a string bias", { "5": "-100" }, 'got "-100"'],
    ["a pair of three", [[1, 2, 3]], "each entry of the list must be a [token id, bias] pair, got [1,2,3]"],
  ])("parseLogitBias() refuses %s with a 400 naming logit_bias", (_name, input, message) => {
    const error = apiErrorOf(() => parseLogitBias(input));
    expect(error.status).toBe(400);
    expect(error.param).toBe("logit_bias");
    expect(error.message).toContain(message);
  });
});
