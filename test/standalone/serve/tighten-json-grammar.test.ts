import { describe, expect, test } from "bun:test";
import { tightenJsonGrammar } from "../../../lib/serve/structured/tighten-json-grammar.ts";

// The rule lines node-llama-cpp 3.21.1 writes (its GbnfNumber and GbnfInsideStringChar).
const NUM = '"-"? ("0" | [1-9] [0-9]{0,15})';
const EXP = ' ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?';
const CHAR = String.raw`string-char-rule ::= [^"\\\x7F\x00-\x1F] | "\\" ["\\/bfnrt] | "\\u" [0-9a-fA-F]{4}`;
const GRAMMAR = [
  'root ::= "{" integer-number-rule "," fractional-number-rule "," string-rule "}"',
  `integer-number-rule ::= ${NUM}${EXP}`,
  `fractional-number-rule ::= ${NUM} ("." [0-9]{1,16})?${EXP}`,
  CHAR,
].join("\n");

describe("tightenJsonGrammar()", () => {
  test("tightenJsonGrammar() drops the integer exponent, bounds the fractional one, keeps string characters to Unicode", () => {
    expect(tightenJsonGrammar(GRAMMAR).split("\n")).toEqual([
      'root ::= "{" integer-number-rule "," fractional-number-rule "," string-rule "}"',
      `integer-number-rule ::= ${NUM}`,
      `fractional-number-rule ::= ${NUM} ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?`,
      String.raw`string-char-rule ::= [^"\\\x7F\x00-\x1F\U00110000-\UFFFFFFFF] | "\\" ["\\/bfnrt] | "\\u" [0-9a-fA-F]{4}`,
    ]);
  });

  test("tightenJsonGrammar() leaves a grammar without those rules alone", () => {
    expect(tightenJsonGrammar('root ::= "true" | "false"')).toBe('root ::= "true" | "false"');
  });

  test("tightenJsonGrammar() throws when node-llama-cpp's rule is not the expected one", () => {
    expect(() => tightenJsonGrammar("integer-number-rule ::= [0-9]+")).toThrow(/integer-number-rule is not the expected one/);
  });
});
