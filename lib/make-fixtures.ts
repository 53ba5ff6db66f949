/**
 * Builds a set of fixture models into a folder and writes its catalog (MOD-2), largest first.
 */
import { mkdirSync, writeFileSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { stringify } from "yaml";
import { ensureFixture, type FixtureModel } from "./ensure-fixture.ts";
import { FIXTURE_FAMILY, type FixtureSpec } from "./fixture-family.ts";

export type MakeFixturesResult = { catalog: string; models: FixtureModel[] };

/** `"fx-1m,8m"` → specs; "all" or empty → the whole family. Names may omit the `fx-` prefix. */
export function parseFixtureNames(list: string | undefined): FixtureSpec[] {
  if (!list || list.trim() === "all") return [...FIXTURE_FAMILY];
  const specs: FixtureSpec[] = [];
  for (const [i, raw] of list.split(",").entries()) {
    const name = raw.trim();
    if (!name) throw new Error(`--sizes has an empty entry at position ${i + 1} in "${list}"`);
    const spec = FIXTURE_FAMILY.find((s) => s.name === name || s.name === `fx-${name}`);
    if (!spec) throw new Error(`--sizes: unknown fixture "${name}"; known: ${FIXTURE_FAMILY.map((s) => s.name).join(", ")}`);
    if (specs.includes(spec)) throw new Error(`--sizes lists "${name}" twice`);
    specs.push(spec);
  }
  return specs;
}

export async function makeFixtures(outDir: string, specs: readonly FixtureSpec[], onModel?: (m: FixtureModel & { reused: boolean }) => void): Promise<MakeFixturesResult> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const models: FixtureModel[] = [];
  for (const spec of specs) {
    const { reused, ...model } = await ensureFixture(dir, spec);
    onModel?.({ ...model, reused });
    models.push(model);
  }
  models.sort((a, b) => b.params - a.params);
  const catalog = join(dir, "catalog.yaml");
  const doc = {
    candidates: models.map((m) => ({ name: m.name, model: basename(m.path), size_b: m.size_b })),
  };
  const text = "# Fixture catalog (MOD-2): synthetic llama models, largest first. Paths are relative to this file.\n" + stringify(doc);
  const tmp = `${catalog}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, catalog);
  return { catalog, models };
}
