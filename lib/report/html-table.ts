/** A plain HTML table from text cells, every cell escaped; a row can carry a class (its status). */
import { escapeHtml } from "./escape-html.ts";

export type HtmlRow = { cells: string[]; className?: string };

/** `numeric`: indexes of columns aligned right. */
export function htmlTable(header: readonly string[], rows: readonly HtmlRow[], numeric: readonly number[] = []): string {
  const cell = (tag: "th" | "td", text: string, i: number) => `<${tag}${numeric.includes(i) ? ' class="num"' : ""}>${escapeHtml(text)}</${tag}>`;
  const head = `<thead><tr>${header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>`;
  const body = rows.map((r) => `<tr${r.className ? ` class="${escapeHtml(r.className)}"` : ""}>${r.cells.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("\n");
  return `<table>${head}<tbody>\n${body}\n</tbody></table>`;
}
