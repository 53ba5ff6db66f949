/**
 * serve's start-up failures (issue 11), against real serve subprocesses: each is one line with a
 * documented exit code (78 a setting or a model the preflight refuses, 65 a model llama.cpp refuses
 * after it passed the preflight), never a stack, never llama.cpp's own log lines.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, spawnServe, startServe } from "../../helpers/serve-process.ts";
import { holdBuildLock } from "./build-lock.ts";

let fixture: string;
let dir: string;
beforeAll(async () => {
  fixture = (await testFixture("fx-1m")).path;
  dir = tempDir("macprovider-hostile-");
});

/** fx-1m with `from` replaced by `to` (same length) the first time it occurs in the file. */
function patchedModel(name: string, from: string, to: string): string {
  const bytes = readFileSync(fixture);
  const at = bytes.indexOf(from);
  if (at === -1 || from.length !== to.length) throw new Error(`patchedModel: cannot put ${to} for ${from}`);
  bytes.write(to, at, "latin1");
  const path = join(dir, `${name}.gguf`);
  writeFileSync(path, bytes);
  return path;
}

/** consola's level marks: "ERROR" on a terminal, "[error]" when it runs under a test runner. */
const LEVEL = { error: /\bERROR\b|\[error\]/, warn: /\bWARN\b|\[warn\]/ };

type Outcome = { code: number; stdout: string; stderr: string; errorLines: string[] };

async function run(args: string[], env = isolatedEnv()): Promise<Outcome> {
  const proc = spawnServe(["--port", "0", "--threads", "1", "--max-context", "512", ...args], env);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr, errorLines: stderr.split("\n").filter((l) => LEVEL.error.test(l)) };
}

/** One error line, no stack, none of llama.cpp's own lines. */
function expectOneLine(outcome: Outcome, message: RegExp): void {
  expect(outcome.errorLines).toHaveLength(1);
  expect(outcome.errorLines[0]).toMatch(message);
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
  expect(outcome.stderr).not.toContain("[llama.cpp]");
}

describe("serve: start-up failures are one line", () => {
  test("--host that does not resolve exits 78 naming --host", async () => {
    const outcome = await run(["--model", fixture, "--host", "no.such.host.invalid"]);
    expect(outcome.code).toBe(78);
    expectOneLine(outcome, /--host \(CLI\): cannot listen on "no\.such\.host\.invalid" port 0: not an address of this machine, or a name that does not resolve/);
    expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    expect(outcome.stdout).toBe(""); // never listened
  });

  test("--host that is not this machine's exits 78 naming --host", async () => {
    const outcome = await run(["--model", fixture, "--host", "192.0.2.1"]);
    expect(outcome.code).toBe(78);
    expectOneLine(outcome, /--host \(CLI\): cannot listen on "192\.0\.2\.1" port 0: .*\(EADDRNOTAVAIL\)/);
  });

  test.each([
    ["llama.context_length", "llama.kontext_length"],
    ["llama.attention.head_count\u0004", "llama.attention.head_kount\u0004"], // llama.cpp aborted the process on this one
    ["llama.feed_forward_length", "llama.feed_forwarx_length"], // and on this one
  ])("a GGUF whose %s key is misspelled is refused by the preflight (78, missing_key)", async (key, misspelled) => {
    const model = patchedModel(`no-${key.replace(/\W/g, "_")}`, key, misspelled);
    const outcome = await run(["--model", model]);
    expect(outcome.code).toBe(78);
    expectOneLine(outcome, new RegExp(`model file .* failed the integrity check \\(missing_key\\): ${key.replace(/\u0004/, "").replaceAll(".", "\\.")} is missing`));
    expect(outcome.stdout).toBe("");
  });

  test("a GGUF llama.cpp refuses after the preflight exits 65 with one line naming the file and llama.cpp's reason", async () => {
    const model = patchedModel("renamed-tensor", "blk.3.ffn_down.weight", "blk.3.ffn_dowX.weight");
    const outcome = await run(["--model", model]);
    expect(outcome.code).toBe(65);
    expectOneLine(outcome, /model file .*renamed-tensor\.gguf could not be loaded by llama\.cpp: missing tensor 'blk\.3\.ffn_down\.weight'/);
    expect(outcome.stdout).toContain('"event":"listening"');
    expect(outcome.stdout).not.toContain('"event":"ready"');
  });

  test("MACPROVIDER_API_KEY set but empty exits 78 instead of serving without auth", async () => {
    const outcome = await run(["--model", fixture], isolatedEnv({ MACPROVIDER_API_KEY: "" }));
    expect(outcome.code).toBe(78);
    expectOneLine(outcome, /MACPROVIDER_API_KEY \(env\) has invalid value ""; allowed: a non-empty string/);
    expect(outcome.stdout).toBe("");
  });
});

describe("serve: a misspelled YAML key", () => {
  test("serve warns once per unknown key, naming the key meant, and serves", async () => {
    const env = isolatedEnv();
    const configDir = join(env.XDG_CONFIG_HOME!, "macprovider");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, "config.yaml"), `model: ${fixture}\nmax_batch: 2\nthreds: 1\ncoordinator: x\n`);
    const s = await startServe(["--max-context", "512"], env);
    try {
      const warnings = s.stderr().split("\n").filter((l) => LEVEL.warn.test(l));
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toContain('unknown key "max_batch" is ignored: the YAML name of --max-batch is max_concurrency_override');
      expect(warnings[1]).toContain('unknown key "threds" is ignored: did you mean threads (--threads)?');
      expect(warnings[2]).toContain('unknown key "coordinator" is ignored (not a serve setting)');
      expect(((await (await fetch(`${s.url}/v1/capacity`)).json()) as any).max_batch).toBe(1);
    } finally {
      await s.stop();
    }
  });
});

describe("serve: a llama.cpp build in progress", () => {
  let release: () => Promise<void>;
  beforeAll(async () => {
    release = await holdBuildLock();
  });
  afterAll(async () => {
    await release?.();
  });

  // Both wait out the same 10 s bound, side by side.
  test.concurrent("--engine auto says what it waits for, then serves the prebuilt engine with a warning", async () => {
    const started = performance.now();
    const s = await startServe(["--model", fixture, "--threads", "1", "--max-context", "512", "--engine", "auto"]);
    try {
      expect(performance.now() - started).toBeGreaterThan(9_000);
      expect(s.stderr()).toMatch(/waiting up to 10 s for the llama\.cpp build in progress to finish \(lock .*\.lock\)/);
      expect(s.stderr()).toMatch(/engine auto: a llama\.cpp build is still in progress after 10 s .*: using the prebuilt engine/);
      expect(((await (await fetch(`${s.url}/v1/capacity`)).json()) as any).engine_build).toBe("prebuilt");
    } finally {
      await s.stop();
    }
  }, 60_000);

  test.concurrent("--engine local exits 78 with one line naming the build in progress", async () => {
    const outcome = await run(["--model", fixture, "--engine", "local"]);
    expect(outcome.code).toBe(78);
    expectOneLine(outcome, /--engine \(CLI\): engine local: a llama\.cpp build is still in progress after 10 s \(lock .*\); wait for `macprovider engine build` to finish/);
  }, 60_000);
});
