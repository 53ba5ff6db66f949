/**
 * Vega is loaded only by the report's adapter, on demand: no command module, and no module a
 * command loads at start-up, imports vega or vega-lite as a value (type-only imports are erased).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Glob } from "bun";
import { importsOf } from "../../helpers/architecture.ts";
import { REPO_ROOT } from "../../helpers/fixtures.ts";

/** Value imports reachable from `entry` through static imports (dynamic `import()` left out). */
function staticValueImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let source: string;
    try {
      source = readFileSync(join(REPO_ROOT, file), "utf8");
    } catch {
      return; // a package, not a file here
    }
    const code = source.replace(/\bimport\(\s*["'][^"']+["']\s*\)/g, "");
    for (const { spec, typeOnly } of importsOf(code)) {
      if (typeOnly) continue;
      if (spec.startsWith(".")) walk(join(dirname(file), spec));
      else seen.add(spec);
    }
  };
  walk(entry);
  return seen;
}

describe("lazy vega", () => {
  const entries = [...new Glob("scripts/*.ts").scanSync(REPO_ROOT)].sort();
  test.each(entries)("%s does not load vega until a report is drawn", (entry) => {
    const closure = staticValueImports(entry);
    expect(closure.size).toBeGreaterThan(1);
    expect([...closure].filter((m) => /^vega(-lite)?$/.test(m))).toEqual([]);
  });

  test("only lib/report/io/render-vega-svg.ts imports vega, and only with import()", () => {
    const importers = [...new Glob("{lib,scripts,bench}/**/*.ts").scanSync(REPO_ROOT)].filter((file) => {
      const source = readFileSync(join(REPO_ROOT, file), "utf8");
      return importsOf(source).some((i) => !i.typeOnly && /^vega(-lite)?$/.test(i.spec));
    });
    expect(importers).toEqual(["lib/report/io/render-vega-svg.ts"]);
    const source = readFileSync(join(REPO_ROOT, "lib/report/io/render-vega-svg.ts"), "utf8");
    expect(source).not.toMatch(/^import\s+(?!type\b)[^;]*from\s*["']vega(-lite)?["']/m);
  });
});
