/**
 * The layout's two rules as a check over source text (a real import scan, no type checker needed):
 * a module outside `io/` imports no host modules, no runtime or engine values and no `io/` module,
 * and touches no `process`, `fetch` or `Bun.*`; `lib/` never imports `scripts/` or `bench/`; no cycles.
 */
import { dirname, join, normalize } from "node:path";

export type Violation = { file: string; rule: string; detail: string };

type Import = { spec: string; typeOnly: boolean };

const HOST_MODULES = /^(node:)?(fs|fs\/promises|os|child_process|net)$/;
const VALUE_FORBIDDEN = new Set(["bun", "bun:sqlite", "node-llama-cpp"]);

/** Import and re-export specifiers of a module, each marked type-only or not. */
export function importsOf(source: string): Import[] {
  const code = stripComments(source);
  const out: Import[] = [];
  const re = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']|(?:^|[;\n])\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of code.matchAll(re)) {
    if (m[4]) {
      const names = m[3] ?? "";
      const braces = /^\{([^}]*)\}$/.exec(names.trim());
      const allTypes = braces !== null && braces[1]!.split(",").map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith("type "));
      out.push({ spec: m[4], typeOnly: Boolean(m[2]) || allTypes });
    } else out.push({ spec: (m[5] ?? m[6])!, typeOnly: false });
  }
  return out;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** `files`: repo-relative path → source text, for every module to check (lib/, scripts/, bench/). */
export function architectureViolations(files: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, source] of files) {
    const inLib = file.startsWith("lib/");
    const pure = inLib && !file.split("/").includes("io");
    const edges: string[] = [];
    for (const { spec, typeOnly } of importsOf(source)) {
      const target = spec.startsWith(".") ? normalize(join(dirname(file), spec)) : null;
      if (target) edges.push(target);
      if (inLib && target && /^(scripts|bench)\//.test(target)) violations.push({ file, rule: "lib imports scripts/bench", detail: spec });
      if (!pure) continue;
      if (HOST_MODULES.test(spec)) violations.push({ file, rule: "pure module imports a host module", detail: spec });
      if (!typeOnly && VALUE_FORBIDDEN.has(spec)) violations.push({ file, rule: "pure module imports a runtime/engine value", detail: spec });
      if (target && target.split("/").includes("io")) violations.push({ file, rule: "pure module imports an io/ module", detail: spec });
    }
    if (pure) {
      const code = stripComments(source).replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
      for (const m of code.matchAll(/\b(process\.|process\b(?=\s*[),;])|fetch\(|Bun\.)/g)) violations.push({ file, rule: "pure module touches the host", detail: m[1]! });
    }
    graph.set(file, edges);
  }
  for (const cycle of findCycles(graph)) violations.push({ file: cycle[0]!, rule: "import cycle", detail: cycle.join(" → ") });
  return violations;
}

/** Cycles in the import graph (depth-first; each reported once from its first-visited module). */
function findCycles(graph: ReadonlyMap<string, string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
