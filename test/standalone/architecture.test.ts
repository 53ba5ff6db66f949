import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Glob } from "bun";
import { architectureViolations, importsOf } from "../helpers/architecture.ts";
import { REPO_ROOT } from "../helpers/fixtures.ts";

function repoSources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const pattern of ["lib/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"]) {
    for (const path of new Glob(pattern).scanSync(REPO_ROOT)) files.set(path, readFileSync(`${REPO_ROOT}/${path}`, "utf8"));
  }
  return files;
}

describe("architecture", () => {
  test("architectureViolations() finds none in the repository", () => {
    const files = repoSources();
    expect(files.size).toBeGreaterThan(40);
    expect(architectureViolations(files)).toEqual([]);
  });

  const planted: [string, Record<string, string>, string][] = [
    ["a host module in a pure module", { "lib/a/x.ts": 'import { readFileSync } from "node:fs";' }, "pure module imports a host module"],
    ["node:os without the prefix", { "lib/a/x.ts": 'import os from "os";' }, "pure module imports a host module"],
    ["a node-llama-cpp value", { "lib/a/x.ts": 'import { getLlama } from "node-llama-cpp";' }, "pure module imports a runtime/engine value"],
    ["a bun:sqlite value", { "lib/a/x.ts": 'import { Database } from "bun:sqlite";' }, "pure module imports a runtime/engine value"],
    ["an io/ module", { "lib/a/x.ts": 'import { y } from "./io/y.ts";', "lib/a/io/y.ts": "export const y = 1;" }, "pure module imports an io/ module"],
    ["a type from an io/ module", { "lib/a/x.ts": 'import type { Y } from "./io/y.ts";', "lib/a/io/y.ts": "export type Y = 1;" }, "pure module imports an io/ module"],
    ["process.env", { "lib/a/x.ts": "export const home = process.env.HOME;" }, "pure module touches the host"],
    ["fetch()", { "lib/a/x.ts": 'export const f = () => fetch("http://x");' }, "pure module touches the host"],
    ["Bun.*", { "lib/a/x.ts": "export const n = Bun.nanoseconds();" }, "pure module touches the host"],
    ["lib importing scripts/", { "lib/a/io/x.ts": 'import { c } from "../../../scripts/serve.ts";' }, "lib imports scripts/bench"],
    ["lib importing bench/", { "lib/a/x.ts": 'import { median } from "../../bench/_shared.ts";' }, "lib imports scripts/bench"],
    ["a cycle", { "lib/a/x.ts": 'import { y } from "./y.ts";', "lib/a/y.ts": 'import { x } from "./x.ts";' }, "import cycle"],
  ];
  test.each(planted)("architectureViolations() flags %s", (_, files, rule) => {
    const found = architectureViolations(new Map(Object.entries(files)));
    expect(found.map((v) => v.rule)).toContain(rule);
  });

  const allowed: [string, string][] = [
    ["type-only node-llama-cpp imports", 'import type { Llama } from "node-llama-cpp";'],
    ["inline type specifiers", 'import { type Llama, type Token } from "node-llama-cpp";'],
    ["node:path", 'import { join } from "node:path";'],
    ["the words in comments and strings", '// process.env is read at the edge\nexport const s = "Bun.serve and fetch() live in io/";'],
  ];
  test.each(allowed)("architectureViolations() allows %s in a pure module", (_, source) => {
    expect(architectureViolations(new Map([["lib/a/x.ts", source]]))).toEqual([]);
  });

  test("importsOf() reads imports, re-exports, side-effect and dynamic imports", () => {
    const src = 'import a from "./a.ts";\nexport { b } from "./b.ts";\nimport "./c.ts";\nconst d = await import("./d.ts");\nexport type { E } from "./e.ts";';
    expect(importsOf(src).sort((a, b) => a.spec.localeCompare(b.spec))).toEqual([
      { spec: "./a.ts", typeOnly: false },
      { spec: "./b.ts", typeOnly: false },
      { spec: "./c.ts", typeOnly: false },
      { spec: "./d.ts", typeOnly: false },
      { spec: "./e.ts", typeOnly: true },
    ]);
  });
});

describe("lazy loading", () => {
  /** Every module reachable from `entry` through static imports. */
  function staticClosure(files: Map<string, string>, entry: string): Set<string> {
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = files.get(file);
      if (source === undefined) return;
      const code = source.replace(/\bimport\(\s*["'][^"']+["']\s*\)/g, "");
      for (const { spec } of importsOf(code)) {
        seen.add(spec);
        if (spec.startsWith(".")) walk(join(dirname(file), spec));
      }
    };
    walk(entry);
    return seen;
  }

  test.each(["scripts/cli.ts", "scripts/make-fixtures.ts"])("%s does not load node-llama-cpp until a command needs it", (entry) => {
    const closure = staticClosure(repoSources(), entry);
    expect(closure.size).toBeGreaterThan(1);
    expect(closure.has("node-llama-cpp")).toBe(false);
  });
});

describe("one way to load node-llama-cpp", () => {
  test("no module in lib/ or scripts/ imports node-llama-cpp values but through lib/engine/io/node-llama-cpp.ts, so the binary and bun share the path", () => {
    const files = repoSources();
    const importers = [...files]
      .filter(([file]) => !file.startsWith("bench/"))
      .filter(([, source]) => importsOf(source).some((i) => i.spec === "node-llama-cpp" && !i.typeOnly))
      .map(([file]) => file);
    expect(importers).toEqual([]);
    // …which loads it at run time from a computed specifier, the only form the compiled binary can use.
    expect(files.get("lib/engine/io/node-llama-cpp.ts")).toContain("await import(specifier)");
  });
});
