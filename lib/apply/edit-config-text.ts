/**
 * A recipe's edits applied to the text of a config file (APL-1, APL-2): only the owned keys
 * change; comments, blank lines, key order, quoting and other keys stay byte for byte. The
 * intended result is computed with the `yaml` Document API (set/delete) and the text is edited on
 * its concrete syntax tree; the text is then read back and must give exactly the intended result.
 */
import { parseDocument, type Document } from "yaml";
import { editBlockMap } from "./edit-block-map.ts";
import type { ConfigEdits, OwnedConfigKey } from "./recipe-config-edits.ts";

export type EditedConfig = {
  text: string;
  /** The keys that were in the file and are now removed. */
  removed: OwnedConfigKey[];
};

/** Throws an Error naming the problem when the text is not a YAML mapping serve would read. */
export function editConfigText(text: string, edits: ConfigEdits): EditedConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    throw new Error(`is not valid YAML${where}: ${first.message.split("\n")[0]}`);
  }
  const before = toJS(doc);
  if (before !== null && before !== undefined && (typeof before !== "object" || Array.isArray(before))) {
    throw new Error(`must be a YAML mapping of keys to values, found ${Array.isArray(before) ? "a list" : typeof before}`);
  }
  const removed = edits.remove.filter((key) => doc.has(key));
  for (const [key, value] of edits.set) doc.set(key, value);
  for (const key of removed) doc.delete(key);
  const intended = JSON.stringify(toJS(doc));
  // Where the lossless edit does not apply (a flow mapping, say), the Document API writes the file.
  const edited = editBlockMap(text, edits.set, removed) ?? doc.toString({ lineWidth: 0 });
  const reread = parseDocument(edited);
  if (reread.errors.length > 0 || JSON.stringify(toJS(reread)) !== intended) {
    throw new Error("reads back differently after the edit (a YAML construct apply cannot edit); edit the owned keys by hand");
  }
  return { text: edited, removed };
}

/** The document's data; an alias without its anchor is reported like any other YAML error. */
function toJS(doc: Document): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    throw new Error(`is not valid YAML: ${(error as Error).message}`);
  }
}
