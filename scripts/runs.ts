/**
 * `macprovider runs [show ID [--html]] | report`: past autotune runs from the run store (DB-4), as a
 * table, JSON, or a self-contained HTML report. Reads only; never creates the store.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { asUsage, CliError, EXIT, withFsErrors } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { defaultDbPath } from "../lib/host/io/paths.ts";
import { openRunStore } from "../lib/store/io/open-run-store.ts";
import { renderRunDetail } from "../lib/store/render-run-detail.ts";
import { renderRunList } from "../lib/store/render-run-list.ts";
import { RunStoreError } from "../lib/store/run-store-error.ts";
import type { RunDetail, RunStore } from "../lib/store/run-store.ts";
import { sortTrials } from "../lib/store/sort-trials.ts";

const storeArgs = {
  db: { type: "string", description: "The run store. Defaults to $XDG_DATA_HOME/macprovider/autotune.db (~/.local/share/macprovider/autotune.db)." },
  json: { type: "boolean", description: "Print JSON instead of the table. Defaults to false." },
} as const;

const outArg = {
  out: { type: "string", description: "The HTML file to write. Defaults to macprovider-run-<ID>.html in the current folder." },
} as const;

const listArgs = {
  ...storeArgs,
  limit: { type: "string", description: "Show only the newest N runs. Defaults to every stored run." },
} as const;

/** Runs `read` on the store at `path`; null when the file does not exist (no autotune has run yet). */
function readStore<T>(path: string, read: (store: RunStore) => T): T | null {
  if (!existsSync(path)) return null;
  let store: RunStore;
  try {
    store = openRunStore(path);
  } catch (error) {
    if (error instanceof RunStoreError) throw new CliError(`runs: ${error.message}`, EXIT.config);
    throw error;
  }
  try {
    return read(store);
  } finally {
    store.close();
  }
}

const print = (text: string) => process.stdout.write(text + "\n");

const listCommand = defineCommand({
  meta: { name: "list", description: "List past runs, newest first: id, when, model, tok/s, exit reason (the default)." },
  args: listArgs,
  run({ args }) {
    const limit = args.limit === undefined ? undefined : asUsage(() => parseIntegerOption("--limit", args.limit!, 1));
    const runs = readStore(args.db ?? defaultDbPath(), (store) => store.listRuns(limit)) ?? [];
    print(args.json ? JSON.stringify(runs, null, 2) : renderRunList(runs));
  },
});

/** The run as `runs show --json` prints it: the page data of the HTML report too. */
function readRunDetail(path: string, id: string): RunDetail {
  const detail = readStore(path, (store) => store.getRun(id));
  if (!detail) throw new CliError(`runs show: no run "${id}" in ${path}; list the runs with: macprovider runs --db ${path}`, EXIT.usage);
  return { run: detail.run, trials: sortTrials(detail.trials) };
}

/** Writes the HTML report and prints its path. Vega loads here only, lazily: no other command pays for it. */
async function writeReport(detail: RunDetail, out: string | undefined): Promise<void> {
  const { renderRunReport } = await import("../lib/report/io/render-run-report.ts");
  const path = resolve(out ?? `macprovider-run-${detail.run.run_id.replace(/[^\w.-]/g, "_")}.html`);
  const html = await renderRunReport(detail);
  await withFsErrors("runs: cannot write the report", () => writeFile(path, html));
  print(path);
}

const showCommand = defineCommand({
  meta: { name: "show", description: "Show one run: its machine and inputs, and every trial by stage then tok/s, the kept one marked *." },
  args: {
    id: { type: "positional", required: true, description: "The run id, as `macprovider runs` lists it." },
    ...storeArgs,
    html: { type: "boolean", description: "Write the run as one self-contained HTML page (charts as inline SVG, no script, opens offline) instead of printing it. Defaults to false." },
    ...outArg,
  },
  async run({ args }) {
    if (args.out !== undefined && !args.html) throw new CliError(`runs show: --out ${JSON.stringify(args.out)} needs --html`, EXIT.usage);
    if (args.html && args.json) throw new CliError("runs show: pass either --html or --json, not both", EXIT.usage);
    const detail = readRunDetail(args.db ?? defaultDbPath(), args.id);
    if (args.html) return writeReport(detail, args.out);
    print(args.json ? JSON.stringify(detail, null, 2) : renderRunDetail(detail));
  },
});

const reportCommand = defineCommand({
  meta: { name: "report", description: "Write the newest run as one self-contained HTML page (the same as `runs show ID --html`)." },
  args: { db: storeArgs.db, ...outArg },
  async run({ args }) {
    const path = args.db ?? defaultDbPath();
    const latest = readStore(path, (store) => store.listRuns(1)[0]?.run_id ?? null);
    if (!latest) throw new CliError(`runs report: no run in ${path} yet; run macprovider autotune first`, EXIT.usage);
    await writeReport(readRunDetail(path, latest), args.out);
  },
});

export const runsCommand = defineCommand({
  meta: { name: "runs", description: "List past autotune runs, show one run's trials (`runs show ID`), or write one as an HTML report (`runs show ID --html`, `runs report` for the newest)." },
  args: listArgs,
  subCommands: { list: listCommand, show: showCommand, report: reportCommand },
  default: "list",
});

if (import.meta.main) await runScript(runsCommand);
