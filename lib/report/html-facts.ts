/** A definition list of facts (`term: value`), both escaped; a null value reads "-". */
import { escapeHtml } from "./escape-html.ts";

export function htmlFacts(facts: readonly [string, string | number | null][]): string {
  const items = facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value === null ? "-" : String(value))}</dd>`);
  return `<dl class="facts">${items.join("")}</dl>`;
}
