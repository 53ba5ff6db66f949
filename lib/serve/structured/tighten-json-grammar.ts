/**
 * node-llama-cpp 3.21.1's JSON grammar, narrowed rule by rule where its output would not be what
 * the schema asks:
 * - numbers: an exponent of up to 16 digits, for integers too: `7e-3` is no JSON-schema integer
 *   and `1e999999` parses to Infinity. Integers get no exponent, other numbers one of ≤ 2 digits.
 * - string characters: llama.cpp's grammar decodes UTF-8 leniently, so byte tokens (random weights
 *   pick them freely) could make "code points" past U+10FFFF, which come out as U+FFFD and lengthen
 *   a string past its maxLength. The rule excludes them (this also rules out plane 16, private use).
 */
const EXPONENT = String.raw` \(\[eE\] \[-\+\]\? \("0" \| \[1-9\] \[0-9\]\{0,15\}\)\)\?$`;
const RULES: [name: string, rule: RegExp, replacement: string][] = [
  ["integer-number-rule", new RegExp(String.raw`^(integer-number-rule ::= .*?)${EXPONENT}`, "m"), "$1"],
  ["fractional-number-rule", new RegExp(String.raw`^(fractional-number-rule ::= .*?)${EXPONENT}`, "m"), "$1 ([eE] [-+]? [0-9]{1,2})?"],
  ["string-char-rule", /^(string-char-rule ::= \[\^"\\\\\\x7F\\x00-\\x1F)\]/m, String.raw`$1\U00110000-\UFFFFFFFF]`],
];

/** The grammar with those rules narrowed; throws when one of them is not the rule expected. */
export function tightenJsonGrammar(gbnf: string): string {
  let out = gbnf;
  for (const [name, rule, replacement] of RULES) {
    if (!new RegExp(`^${name} ::=`, "m").test(out)) continue;
    if (!rule.test(out)) throw new Error(`tightenJsonGrammar: node-llama-cpp's ${name} is not the expected one`);
    out = out.replace(rule, replacement);
  }
  return out;
}
