/**
 * The grammar that picks which function a call names, as node-llama-cpp's own FunctionCallNameGrammar
 * writes it: an optional space (where the chat wrapper allows one after its call prefix), one of the
 * names, then a newline that ends it (a name may be the prefix of another). Names are checked by
 * parseTools (letters, digits, _ and -), so they need no escaping in GBNF.
 */
export function functionNameGrammar(names: readonly string[], optionalPrefixSpace: boolean): string {
  const alternatives = names.map((n) => JSON.stringify(n)).join(" | ");
  return `root ::= ${optionalPrefixSpace ? "[ ]? " : ""}(${alternatives}) [\\n]`;
}

/** The name in the text generated under functionNameGrammar (its stop trigger, "\n", already cut). */
export function parseFunctionName(text: string, names: readonly string[]): string {
  const name = text.trim();
  if (!names.includes(name)) throw new Error(`the function name grammar produced ${JSON.stringify(text)}, which names no offered function`);
  return name;
}
