/** `macprovider runs [show ID]`: past autotune runs from the run store (DB-4). Reads only; never creates the store. */
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { asUsage, CliError, EXIT } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { defaultDbPath } from "../lib/host/io/paths.ts";
import { openRunStore } from "../lib/store/io/open-run-store.ts";
import { renderRunDetail } from "../lib/store/render-run-detail.ts";
import { renderRunList } from "../lib/store/render-run-list.ts";
import { RunStoreError } from "../lib/store/run-store-error.ts";
import type { RunStore } from "../lib/store/run-store.ts";
import { sortTrials } from "../lib/store/sort-trials.ts";

const storeArgs = {
  db: { type: "string", description: "The run store. Defaults to $XDG_DATA_HOME/macprovider/autotune.db (~/.local/share/macprovider/autotune.db)." },
  json: { type: "boolean", description: "Print JSON instead of the table. Defaults to false." },
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

const showCommand = defineCommand({
  meta: { name: "show", description: "Show one run: its machine and inputs, and every trial by stage then tok/s, the kept one marked *." },
  args: {
    id: { type: "positional", required: true, description: "The run id, as `macprovider runs` lists it." },
    ...storeArgs,
  },
  run({ args }) {
    const path = args.db ?? defaultDbPath();
    const detail = readStore(path, (store) => store.getRun(args.id));
    if (!detail) throw new CliError(`runs show: no run "${args.id}" in ${path}; list the runs with: macprovider runs --db ${path}`, EXIT.usage);
    const sorted = { run: detail.run, trials: sortTrials(detail.trials) };
    print(args.json ? JSON.stringify(sorted, null, 2) : renderRunDetail(sorted));
  },
});

export const runsCommand = defineCommand({
  meta: { name: "runs", description: "List past autotune runs, or show one run's trials (`runs show ID`)." },
  args: listArgs,
  subCommands: { list: listCommand, show: showCommand },
  default: "list",
});

if (import.meta.main) await runScript(runsCommand);
