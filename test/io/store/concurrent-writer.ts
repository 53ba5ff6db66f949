/**
 * `bun concurrent-writer.ts DB RUN_ID N`: one of the processes writing the run store at the same time.
 * It starts on a line on stdin, so that every writer opens and writes the store at the same moment.
 */
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { newRun, newTrial } from "./store-fixtures.ts";

const [path, runId, count] = process.argv.slice(2) as [string, string, string];
process.stdout.write("ready\n");
for await (const _ of console) break;
const store = openRunStore(path);
store.createRun(newRun(runId, new Date().toISOString()));
for (let i = 0; i < Number(count); i++) {
  store.addTrial(newTrial(runId, { stage: 2, threads: i, tps: i, notes: `${runId} #${i}` }));
}
store.close();
