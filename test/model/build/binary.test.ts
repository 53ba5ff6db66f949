/**
 * PIPE-3 for real: `npm run build`'s binary, moved to another folder, run from `/` — its version,
 * one completion through its `serve`, and `autotune --dry-run`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildBinary } from "../../../lib/build/io/build-binary.ts";
import { FrameSplitter } from "../../../lib/probe/frame-splitter.ts";
import pkg from "../../../package.json" with { type: "json" };
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";

const LONG = 300_000;
let moved: string;
let binary: string;
const built = tempDir("macprovider-build-");

beforeAll(async () => {
  await buildBinary({ root: REPO_ROOT, outDir: built, gpuVariants: false, log: () => {} });
  moved = tempDir("macprovider-dist-");
  cpSync(built, moved, { recursive: true });
  rmSync(built, { recursive: true, force: true }); // nothing may point back at the build folder
  binary = join(moved, "macprovider");
}, LONG);

afterAll(() => rmSync(moved, { recursive: true, force: true }));

function run(args: string[]) {
  return Bun.spawn([binary, ...args], { cwd: "/", env: isolatedEnv(), stdout: "pipe", stderr: "pipe", stdin: "ignore" });
}

describe("the compiled binary", () => {
  test("npm run build makes dist/macprovider with node-llama-cpp's runtime beside it", () => {
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(existsSync(join(moved, "node_modules", "node-llama-cpp", "dist", "index.js"))).toBe(true);
    expect(existsSync(join(moved, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle"))).toBe(false);
  });

  test("macprovider --version prints the package version from /", async () => {
    const proc = run(["--version"]);
    expect(await proc.exited).toBe(0);
    expect((await new Response(proc.stdout).text()).trim()).toContain(pkg.version);
  }, LONG);

  test("macprovider serve answers one completion, loading llama.cpp from beside the binary", async () => {
    const model = await testFixture("fx-1m");
    const proc = run(["serve", "--model", model.path, "--port", "0", "--threads", "1", "--max-context", "512"]);
    try {
      const lines = new FrameSplitter("\n");
      let url: string | null = null;
      for await (const chunk of proc.stdout) {
        const ready = lines.push(chunk).map((l) => JSON.parse(l)).find((e) => e.event === "ready");
        if (ready) {
          url = ready.url;
          break;
        }
      }
      expect(url).not.toBeNull();
      const res = await fetch(`${url}/v1/completions`, { method: "POST", body: JSON.stringify({ prompt: "Once", max_tokens: 5, ignore_eos: true }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(5);
      const capacity = (await (await fetch(`${url}/v1/capacity`)).json()) as { engine_build: string };
      expect(capacity.engine_build).toBe("prebuilt");
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    }
  }, LONG);

  test("macprovider autotune --dry-run prints the plan from /", async () => {
    const proc = run(["autotune", "--dry-run", "--target-context", "1024"]);
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(out).toContain("Dry run: nothing is started, downloaded, written or recorded.");
    expect(out).toContain("fx-1b"); // the embedded fixture catalog
  }, LONG);
});
