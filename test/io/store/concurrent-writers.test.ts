import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { tempDir } from "../../helpers/fixtures.ts";

const WRITER = join(import.meta.dir, "concurrent-writer.ts");
const PER_WRITER = 200;

describe("openRunStore() with two processes", () => {
  test("two writer processes opening a new store at once keep all their trials and the file intact", async () => {
    const path = join(tempDir("macprovider-concurrent-"), "data", "autotune.db");
    const writers = ["writer-a", "writer-b"].map((runId) =>
      Bun.spawn([process.execPath, WRITER, path, runId, String(PER_WRITER)], { stdin: "pipe", stdout: "pipe", stderr: "pipe" }),
    );
    // Both are started and waiting before either opens the store: the opens and inserts overlap.
    await Promise.all(writers.map((p) => p.stdout.getReader().read()));
    for (const p of writers) p.stdin.write("go\n");
    for (const p of writers) p.stdin.end();
    const results = await Promise.all(writers.map(async (p) => ({ code: await p.exited, stderr: await new Response(p.stderr).text() })));
    expect(results).toEqual([{ code: 0, stderr: "" }, { code: 0, stderr: "" }]);

    const store = openRunStore(path);
    expect(store.listRuns().map((r) => [r.run_id, r.trials]).sort()).toEqual([["writer-a", PER_WRITER], ["writer-b", PER_WRITER]]);
    for (const runId of ["writer-a", "writer-b"]) {
      const notes = store.getRun(runId)!.trials.map((t) => t.notes);
      expect(notes).toEqual(Array.from({ length: PER_WRITER }, (_, i) => `${runId} #${i}`));
    }
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(db.query("SELECT COUNT(*) AS n FROM tune_trials").get()).toEqual({ n: 2 * PER_WRITER });
    db.close();
  });
});
