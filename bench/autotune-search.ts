/**
 * `bun bench/autotune-search.ts`: does the default (pruned) Stage 2 search find what `--exhaustive`
 * finds, for how many trials, and does it give the same recipe run after run? Runs real
 * `scripts/stage2.ts` subprocesses on one fixture, default and exhaustive runs interleaved in one
 * session. JSON to bench/results/autotune-search-<model>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { asUsage } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import type { Stage2Document } from "../lib/tune/stage2-document.ts";
import { machineFacts } from "../lib/tune/machine-facts.ts";
import pkg from "../package.json" with { type: "json" };
import { median } from "./_shared.ts";

const STAGE2 = join(import.meta.dir, "../scripts/stage2.ts");

export const benchAutotuneSearch = defineCommand({
  meta: { name: "bench-autotune-search", description: "Default Stage 2 search against --exhaustive on one fixture: trials, wall time, winner agreement, noise floor, recipe stability." },
  args: {
    model: { type: "string", description: "Fixture Stage 2 tunes. Defaults to fx-80m.", default: "fx-80m" },
    "default-runs": { type: "string", description: "Default-search runs. Defaults to 5.", default: "5" },
    "exhaustive-runs": { type: "string", description: "Exhaustive runs, spread among the default ones. Defaults to 1.", default: "1" },
    "target-context": { type: "string", description: "Target context of the runs. Defaults to 2048.", default: "2048" },
    "gate-ttft-ms": { type: "string", description: "TTFT gate. Defaults to 2000.", default: "2000" },
  },
  async run({ args }) {
    const defaults = asUsage(() => parseIntegerOption("--default-runs", args["default-runs"], 1));
    const exhaustives = asUsage(() => parseIntegerOption("--exhaustive-runs", args["exhaustive-runs"], 1));
    const target = asUsage(() => parseIntegerOption("--target-context", args["target-context"], 1024));
    const gate = asUsage(() => parseIntegerOption("--gate-ttft-ms", args["gate-ttft-ms"], 1));
    const fixture = await fixtureByName(fixturesDir(), args.model);
    const dir = join(import.meta.dir, "results");
    mkdirSync(dir, { recursive: true });
    const stage1 = stage1Doc(fixture, target, gate, join(dir, ".autotune-search.db"));
    const plan = interleave(defaults, exhaustives);
    const runs: { mode: string; doc: Stage2Document }[] = [];
    for (const [i, mode] of plan.entries()) {
      logger.info(`run ${i + 1}/${plan.length}: ${mode}`);
      const doc = await runStage2({ ...stage1, run_id: `bench-${Date.now()}-${i}` }, mode === "exhaustive" ? ["--exhaustive"] : []);
      logger.info(`  ${doc.recommendation ? cellOf(doc) : doc.exit_reason}: ${doc.search.trials} trials, ${(doc.search.wall_ms / 1000).toFixed(0)} s, noise floor ${(doc.search.noise_floor * 100).toFixed(1)} %`);
      runs.push({ mode, doc });
    }
    const result = summarize(runs, fixture.name);
    const file = join(dir, `autotune-search-${fixture.name}.json`);
    writeFileSync(file, JSON.stringify({ ...result, runs: runs.map(({ doc }) => ({ winner: cellOf(doc), recipe_hash: doc.recipe_hash, ...doc.search })) }, null, 2) + "\n");
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    logger.success(`wrote ${file}`);
  },
});

/** Exhaustive runs spread evenly among the default ones: D D E D D D … */
function interleave(defaults: number, exhaustives: number): ("default" | "exhaustive")[] {
  const out: ("default" | "exhaustive")[] = Array(defaults).fill("default");
  for (let e = 0; e < exhaustives; e++) out.splice(Math.round(((e + 1) * (out.length + 1)) / (exhaustives + 1)), 0, "exhaustive");
  return out;
}

function summarize(runs: { mode: string; doc: Stage2Document }[], model: string) {
  const of = (mode: string) => runs.filter((r) => r.mode === mode).map((r) => r.doc);
  const [def, exh] = [of("default"), of("exhaustive")];
  const exhaustiveWinners = new Set(exh.map(cellOf));
  const hashes = def.map((d) => d.recipe_hash);
  const modal = Math.max(...[...new Set(hashes)].map((h) => hashes.filter((x) => x === h).length));
  return {
    model,
    machine: machineFacts(detectMachine(), pkg.version),
    trials: { default_median: median(def.map((d) => d.search.trials)), exhaustive_median: median(exh.map((d) => d.search.trials)) },
    trial_ratio: median(def.map((d) => d.search.trials)) / median(exh.map((d) => d.search.trials)),
    wall_s: { default_median: median(def.map((d) => d.search.wall_ms)) / 1000, exhaustive_median: median(exh.map((d) => d.search.wall_ms)) / 1000 },
    noise_floor_median: median(runs.map((r) => r.doc.search.noise_floor)),
    exhaustive_winners: [...exhaustiveWinners],
    default_runs_agreeing_with_exhaustive: def.filter((d) => exhaustiveWinners.has(cellOf(d))).length,
    default_runs: def.length,
    same_recipe_hash: `${modal} of ${def.length}`,
  };
}

function cellOf(doc: Stage2Document): string {
  return doc.cells.find((c) => c.kept)?.key ?? "none";
}

async function runStage2(input: unknown, extra: string[]): Promise<Stage2Document> {
  const proc = Bun.spawn([process.execPath, STAGE2, ...extra], { stdin: new TextEncoder().encode(JSON.stringify(input)), stdout: "pipe", stderr: "inherit" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  if (code !== 0 && code !== 4) throw new Error(`stage2 exited ${code}`);
  return JSON.parse(out) as Stage2Document;
}

function stage1Doc(fixture: { name: string; path: string; size_b: number }, target: number, gate: number, db: string) {
  return {
    stage: "stage1", spec_version: "1", run_id: "", started_at: new Date().toISOString(), db,
    inputs: { target_context: target, candidate_models: [fixture.name], stage1_replicates: 2, stage2_replicates: 3, gate_ttft_ms: gate, tps_tie_epsilon: 0.03, axes: {}, memory_budget_bytes: 0, catalog: "bench", models_dir: "" },
    machine: machineFacts(detectMachine(), pkg.version),
    prewarm: [], selected: { name: fixture.name, ref: `fixture:${fixture.name}`, path: fixture.path, size_b: fixture.size_b, ttft_p95_ms: 0, load_ms: null },
    trials: [], infeasible: [], alternates: [], exit_reason: null,
  };
}

if (import.meta.main) await runScript(benchAutotuneSearch);
