/**
 * Checks on a report page's text: what would make it fetch anything or run anything, and how many
 * items a named Vega mark drew (Vega's SVG puts a mark's items, flat, in `<g class="mark-TYPE
 * role-mark NAME_marks">`).
 */

/** Everything in `html` that could load or run something; [] for a self-contained static page. */
export function selfContainedProblems(html: string): string[] {
  const problems: string[] = [];
  for (const tag of ["script", "link", "iframe", "img", "object", "embed", "image", "use", "video", "audio", "source", "base", "meta http-equiv"]) {
    if (new RegExp(`<${tag}[\\s>]`, "i").test(html)) problems.push(`a <${tag}> element`);
  }
  for (const m of html.matchAll(/\s(src|srcset|href|xlink:href|action|poster|data)\s*=\s*["']?([^"'\s>]*)/gi)) {
    if (!(m[1]!.toLowerCase() === "href" && m[2]!.startsWith("#"))) problems.push(`${m[1]}="${m[2]}"`);
  }
  for (const m of html.matchAll(/url\(\s*["']?([^)"']*)/gi)) problems.push(`url(${m[1]})`);
  if (/@import/i.test(html)) problems.push("a CSS @import");
  if (/\son[a-z]+\s*=/i.test(html)) problems.push("an inline event handler");
  return problems;
}

/** How many items the mark named `name` (its Vega-Lite layer name) drew; 0 when it is absent. */
export function countMarks(html: string, name: string): number {
  let items = 0;
  // An empty mark is a self-closing group in Vega's SVG (`<g …/>`), an open-and-closed one in a browser's DOM.
  const group = new RegExp(`<g class="mark-\\w+ role-mark ${name}_marks"[^>]*?(?:/>|>(.*?)</g>)`, "gs");
  for (const m of html.matchAll(group)) items += [...(m[1] ?? "").matchAll(/<(path|text|line|rect|circle)\b/g)].length;
  return items;
}

/** Marks named `prefix_0`, `prefix_1`, … (one per Stage 2 panel), summed. */
export function countPanelMarks(html: string, prefix: string): number {
  let items = 0;
  for (let i = 0; html.includes(`${prefix}_${i}_marks`); i++) items += countMarks(html, `${prefix}_${i}`);
  return items;
}
