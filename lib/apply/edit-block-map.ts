/**
 * The byte-preserving half of a config edit, on the `yaml` package's concrete syntax tree (its
 * lossless layer under the Document API): an owned key's value is replaced in place, keeping its
 * quoting and trailing comment; a removed key's line goes, the comments above it stay; a new key is
 * appended to the top-level mapping. Every other token is written back as it was read.
 */
import { CST, Parser, stringify } from "yaml";
import type { ConfigEdits } from "./recipe-config-edits.ts";

type BlockMap = CST.BlockMap;
type MapItem = BlockMap["items"][number];

/**
 * The edited text, or null when the file's shape is not one this can edit losslessly (a flow or
 * indented top-level mapping, a document marker with nothing under it): the caller falls back to
 * the Document API. `remove` lists only keys present in the file.
 */
export function editBlockMap(text: string, set: ConfigEdits["set"], remove: readonly string[]): string | null {
  const tokens = [...new Parser().parse(text)];
  const docs = tokens.filter((t): t is CST.Document => t.type === "document");
  // New lines end the way the file's lines do.
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (docs.length === 0) return appendToBareText(text, set, eol);
  const map = docs[0]!.value;
  if (docs.length > 1 || map?.type !== "block-map" || map.indent !== 0) return null;
  for (const key of remove) removeItem(docs[0]!, map, findItem(map, key));
  for (const [key, value] of set) {
    const index = findItem(map, key);
    if (index < 0) appendItem(map, freshItem(key, value, eol), eol);
    else setItemValue(map, index, value, eol);
  }
  return tokens.map((t) => CST.stringify(t)).join("");
}

/** A file of comments and blank lines only: the new keys go after it. */
function appendToBareText(text: string, set: ConfigEdits["set"], eol: string): string {
  const separator = text === "" || text.endsWith("\n") ? "" : eol;
  return text + separator + stringify(Object.fromEntries(set), { lineWidth: 0 }).replaceAll("\n", eol);
}

function findItem(map: BlockMap, key: string): number {
  return map.items.findIndex((item) => item.key && CST.resolveAsScalar(item.key, true, () => {})?.value === key);
}

/** The comments and blank lines above a removed key move to the next key, or after the mapping. */
function removeItem(doc: CST.Document, map: BlockMap, index: number): void {
  if (index < 0) return;
  const [removed] = map.items.splice(index, 1);
  const next = map.items[index];
  if (next) next.start.unshift(...removed!.start);
  else doc.end = [...removed!.start, ...(doc.end ?? [])];
}

function setItemValue(map: BlockMap, index: number, value: string | number, eol: string): void {
  const item = map.items[index]!;
  const token = item.value;
  const flowScalar = token?.type === "scalar" || token?.type === "single-quoted-scalar" || token?.type === "double-quoted-scalar";
  if (!flowScalar || item.explicitKey) {
    // A block scalar, collection, alias, empty value or `? key`: the whole `key: value` is written anew.
    const fresh = freshItem(CST.resolveAsScalar(item.key!)!.value, value, eol);
    const start = item.explicitKey ? withoutExplicitKeyIndicator(item.start) : item.start;
    map.items[index] = { start, key: item.explicitKey ? fresh.key! : item.key!, sep: fresh.sep!, value: fresh.value };
    return;
  }
  CST.setScalarValue(token, String(value), { afterKey: true, type: scalarType(value, token.type) });
}

function appendItem(map: BlockMap, item: MapItem, eol: string): void {
  if (!CST.stringify(map).endsWith("\n")) item.start.unshift({ type: "newline", offset: -1, indent: 0, source: eol });
  map.items.push(item);
}

/** `key: value` and a line end as the Document API writes it (quoted only where YAML needs it), as a CST item. */
function freshItem(key: string, value: string | number, eol: string): MapItem {
  const [doc] = new Parser().parse(stringify({ [key]: value }, { lineWidth: 0 }));
  const item = ((doc as CST.Document).value as BlockMap).items[0]!;
  for (const token of (item.value as CST.FlowScalar).end ?? []) if (token.type === "newline") token.source = eol;
  return item;
}

/** The comments above a `? key` stay; the `?` and the space after it go. */
function withoutExplicitKeyIndicator(start: CST.SourceToken[]): CST.SourceToken[] {
  const at = start.findIndex((t) => t.type === "explicit-key-ind");
  return at < 0 ? start : [...start.slice(0, at), ...start.slice(at + (start[at + 1]?.type === "space" ? 2 : 1))];
}

/** Numbers plain; strings keep the file's quotes, else plain when plain reads back as the same string. */
function scalarType(value: string | number, existing: string): "PLAIN" | "QUOTE_SINGLE" | "QUOTE_DOUBLE" {
  if (typeof value === "number") return "PLAIN";
  if (existing === "single-quoted-scalar") return "QUOTE_SINGLE";
  if (existing === "double-quoted-scalar") return "QUOTE_DOUBLE";
  return /^["']/.test(stringify(value, { lineWidth: 0 })) ? "QUOTE_DOUBLE" : "PLAIN";
}
