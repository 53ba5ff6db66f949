/**
 * Corrupted fixture GGUFs against real serve subprocesses (issue 11): random bytes in the header,
 * in metadata keys and values, in tensor infos, and truncations, seeded so every run tries the same
 * files. Each must either serve (ready, one completion answered, clean exit on SIGTERM) or exit with
 * one error line and a documented code (78 refused by the preflight, 65 refused by llama.cpp,
 * 70 no context): never a crash, a hang or a stack.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, spawnServe } from "../../helpers/serve-process.ts";
import { ggufRegions, mutateGguf, type MutationKind } from "./gguf-mutations.ts";

// Without the integrity check's hyperparameter rules, three files of this seed abort llama.cpp
// (a misspelled feed-forward or head-count key, a mangled block count): the run is not a formality.
const SEED = "issue-11d";
const CASES_PER_KIND = 16;
const KINDS: MutationKind[] = ["header", "key", "value", "tensor_info", "truncate"];
const DOCUMENTED_FAILURES = [65, 70, 78];
const CASE_TIMEOUT_MS = 30_000;

type Case = { name: string; where: string; path: string };
type Result = Case & { outcome: "served" | "refused" | "bad"; code: number | null; problem: string | null };

let cases: Case[];
beforeAll(async () => {
  const source = new Uint8Array(readFileSync((await testFixture("fx-1m")).path));
  const regions = ggufRegions(source);
  const dir = tempDir("macprovider-fuzz-");
  cases = KINDS.flatMap((kind) => Array.from({ length: CASES_PER_KIND }, (_, n) => {
    const mutation = mutateGguf(source, regions, SEED, n, kind);
    const path = join(dir, `${kind}-${n}.gguf`);
    writeFileSync(path, mutation.bytes);
    return { name: `${kind} #${n}`, where: mutation.where, path };
  }));
});

/** The lines of stderr that break the contract: a stack frame or llama.cpp's own output. */
function noise(stderr: string): string | null {
  return stderr.split("\n").find((l) => /^\s+at |\[llama\.cpp\]|GGML_ASSERT|terminate called|libthread_db/.test(l)) ?? null;
}

async function tryCase(c: Case, env: Record<string, string>): Promise<Result> {
  const proc = spawnServe(["--model", c.path, "--port", "0", "--threads", "1", "--max-context", "256"], env);
  const timer = setTimeout(() => proc.kill("SIGKILL"), CASE_TIMEOUT_MS);
  let stdout = "";
  let served = false;
  let answered: number | null = null;
  const reading = (async () => {
    for await (const chunk of proc.stdout) {
      stdout += new TextDecoder().decode(chunk);
      const ready = stdout.split("\n").find((l) => l.includes('"event":"ready"'));
      if (!ready || served) continue;
      served = true;
      const res = await fetch(`${JSON.parse(ready).url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ messages: [{ role: "user", content: "Hello" }], max_tokens: 4 }) }).catch(() => null);
      answered = res?.status ?? 0;
      await res?.text();
      proc.kill("SIGTERM");
    }
  })();
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited, reading]);
  clearTimeout(timer);
  const bad = (problem: string): Result => ({ ...c, outcome: "bad", code, problem: `${problem}; stderr: ${stderr.trim().slice(-400)}; stdout: ${stdout.trim().slice(-300)}` });
  if (proc.signalCode) return bad(`killed by ${proc.signalCode}${proc.signalCode === "SIGKILL" ? " (hung)" : ""}`);
  if (noise(stderr)) return bad(`stderr carries ${JSON.stringify(noise(stderr))}`);
  if (served) {
    if (answered !== 200) return bad(`served, but a completion got ${answered}`);
    return code === 0 ? { ...c, outcome: "served", code, problem: null } : bad(`served, then exited ${code}`);
  }
  if (!DOCUMENTED_FAILURES.includes(code)) return bad(`exited ${code}`);
  const lines = stderr.trim().split("\n").filter((l) => !/listening on /.test(l));
  if (lines.length !== 1) return bad(`${lines.length} lines instead of one`);
  return { ...c, outcome: "refused", code, problem: null };
}

describe("serve on corrupted GGUFs", () => {
  test(`${KINDS.length * CASES_PER_KIND} seeded corruptions of fx-1m each serve or exit with one line and a documented code`, async () => {
    const env = isolatedEnv();
    const results: Result[] = [];
    let next = 0;
    // Two at a time: one per core.
    await Promise.all([0, 1].map(async () => {
      while (next < cases.length) results.push(await tryCase(cases[next++]!, env));
    }));
    expect(results.filter((r) => r.outcome === "bad").map((r) => `${r.name} (${r.where}): ${r.problem}`)).toEqual([]);
    // The seed is chosen so the run covers every ending: some files serve, the preflight refuses
    // some, llama.cpp refuses others.
    const codes = new Set(results.map((r) => r.code));
    expect(results.some((r) => r.outcome === "served")).toBe(true);
    expect(codes.has(78)).toBe(true);
    expect(codes.has(65)).toBe(true);
  }, 120_000);
});
