/**
 * Keys of serve's YAML file that no knob reads. The file may hold keys of other tools, so an
 * unknown key is a warning, not an error; but a misspelled knob must not pass unnoticed (a misspelled
 * CLI option exits 64), so each warning names the key the operator most likely meant.
 */
import { SERVE_KNOBS, type KnobDef } from "./serve-knobs.ts";

export type UnknownKey = { key: string; meant: KnobDef | null; exact: boolean };

/** The other names a knob goes by, as an operator might write them in YAML. */
function aliases(def: KnobDef): string[] {
  return [def.yaml, def.flag.replaceAll("-", "_"), def.env.replace(/^MACPROVIDER_/, "").toLowerCase(), def.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

export function unknownConfigKeys(yaml: Record<string, unknown>, knobs: readonly KnobDef[] = SERVE_KNOBS): UnknownKey[] {
  const known = new Set(knobs.map((k) => k.yaml));
  return Object.keys(yaml).filter((key) => !known.has(key)).map((key) => {
    const wanted = key.toLowerCase().replaceAll("-", "_").replace(/^macprovider_/, "");
    const exact = knobs.find((k) => aliases(k).includes(wanted));
    if (exact) return { key, meant: exact, exact: true };
    let best: { def: KnobDef; distance: number } | null = null;
    for (const def of knobs) {
      for (const alias of aliases(def)) {
        const distance = editDistance(wanted, alias);
        if (distance <= Math.max(1, Math.floor(alias.length / 4)) && (best === null || distance < best.distance)) best = { def, distance };
      }
    }
    return { key, meant: best?.def ?? null, exact: false };
  });
}

/** One warning line per unknown key. */
export function unknownKeyWarning({ key, meant, exact }: UnknownKey, yamlPath: string): string {
  const head = `config file ${yamlPath}: unknown key ${JSON.stringify(key)} is ignored`;
  if (meant === null) return `${head} (not a serve setting)`;
  if (exact) return `${head}: the YAML name of --${meant.flag} is ${meant.yaml}`;
  return `${head}: did you mean ${meant.yaml} (--${meant.flag})?`;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
