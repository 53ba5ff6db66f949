import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { openEngine } from "../../../lib/engine/io/open-engine.ts";
import { prewarmCandidate, type PrewarmContext } from "../../../lib/tune/io/prewarm-candidate.ts";
import type { CatalogCandidate } from "../../../lib/tune/tune-documents.ts";
import { corruptCopies, tempDir, testFixture, TEST_FIXTURES_DIR } from "../../helpers/fixtures.ts";
import { refusedUrl, serveCutShort, serveModelFile, type ModelFileServer } from "./model-file-server.ts";

let llama: Llama;
let bytes: Uint8Array;
let sha256: string;
let server: ModelFileServer;

beforeAll(async () => {
  const fixture = await testFixture("fx-1m");
  bytes = readFileSync(fixture.path);
  sha256 = fixture.sha256;
  llama = await openEngine();
  server = serveModelFile(bytes);
});
afterAll(() => server.stop());

function context(modelsDir = tempDir("macprovider-models-"), overrides: Partial<PrewarmContext> = {}): PrewarmContext {
  return { llama, modelsDir, fixturesDir: TEST_FIXTURES_DIR, targetContext: 8192, memoryBudgetBytes: 16 * 2 ** 30, stallMs: 1500, ...overrides };
}

const candidate = (model: string, extra: Partial<CatalogCandidate> = {}): CatalogCandidate => ({ name: "m", model, size_b: 0.001, ...extra });

/** Every file in the models folder, hidden staging folders included. */
const contents = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe("prewarmCandidate() over HTTP", () => {
  test("prewarmCandidate() downloads a good file, warms it, and reuses it on a second run", async () => {
    const ctx = context();
    const url = `${server.url}/fx-1m.gguf`;
    const first = await prewarmCandidate(candidate(url, { sha256, bytes: bytes.length }), ctx);
    expect(first.candidate).toMatchObject({ status: "warmed", reason: null, path: join(ctx.modelsDir, "fx-1m.gguf") });
    expect(first.candidate.load_ms).toBeGreaterThanOrEqual(0);
    expect(first.candidate.estimate_bytes).toBeGreaterThan(bytes.length);
    expect(contents(ctx.modelsDir)).toEqual(["fx-1m.gguf"]);

    const before = server.requests.length;
    const second = await prewarmCandidate(candidate(url, { sha256 }), ctx);
    expect(second.candidate.status).toBe("warmed");
    expect(server.requests.length).toBe(before); // no second download, not even a probe
  });

  test("prewarmCandidate() resolves an hf: reference through node-llama-cpp and reuses it offline", async () => {
    const hub = serveModelFile(bytes, "Tiny-Q8_0.gguf");
    const saved = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = hub.url;
    try {
      const ctx = context();
      const first = await prewarmCandidate(candidate("hf:owner/tiny-GGUF:Q8_0"), ctx);
      expect(first.candidate.status).toBe("warmed");
      expect(hub.requests.some((r) => r.includes("/owner/tiny-GGUF/resolve/main/Tiny-Q8_0.gguf"))).toBe(true);
      expect(contents(ctx.modelsDir)).toEqual([first.candidate.path!.split("/").pop()!]);
      hub.stop();
      const second = await prewarmCandidate(candidate("hf:owner/tiny-GGUF:Q8_0"), ctx);
      expect(second.candidate).toMatchObject({ status: "warmed", path: first.candidate.path });
    } finally {
      if (saved === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved;
      hub.stop();
    }
  });

  test("prewarmCandidate() removes the staging folders of downloads whose process died", async () => {
    const ctx = context();
    const stale = join(ctx.modelsDir, ".download-2147483646-abc");
    mkdirSync(stale);
    writeFileSync(join(stale, "half.gguf.ipull"), "partial");
    const ours = join(ctx.modelsDir, `.download-${process.pid}-live`); // a download still running here
    mkdirSync(ours);
    expect((await prewarmCandidate(candidate(`${server.url}/fx-1m.gguf`), ctx)).candidate.status).toBe("warmed");
    expect(contents(ctx.modelsDir)).toEqual([".download-" + `${process.pid}-live`, "fx-1m.gguf"]);
  });

  test("prewarmCandidate() calls an HTTP 500 transient and leaves nothing behind", async () => {
    const ctx = context();
    const started = performance.now();
    const { candidate: c } = await prewarmCandidate(candidate(`${server.url}/fail`), ctx);
    expect(c).toMatchObject({ status: "transient", path: null, load_ms: null });
    expect(c.reason).toContain("HTTP 500");
    expect(performance.now() - started).toBeLessThan(1000); // not node-llama-cpp's minutes of retries
    expect(contents(ctx.modelsDir)).toEqual([]);
  });

  test("prewarmCandidate() calls a refused connection transient", async () => {
    const ctx = context();
    const { candidate: c } = await prewarmCandidate(candidate(`${refusedUrl()}/model.gguf`), ctx);
    expect(c.status).toBe("transient");
    expect(c.reason).toContain("ECONNREFUSED");
  });

  test("prewarmCandidate() calls a body cut short of its Content-Length integrity and keeps no part of it", async () => {
    const cut = serveCutShort(bytes);
    try {
      const ctx = context();
      const { candidate: c } = await prewarmCandidate(candidate(`${cut.url}/fx-1m.gguf`), ctx);
      expect(c).toMatchObject({ status: "integrity", path: null });
      expect(c.reason).toMatch(/cut short: \d+ of \d+ bytes/);
      expect(contents(ctx.modelsDir)).toEqual([]);
    } finally {
      cut.stop();
    }
  });

  test("prewarmCandidate() calls a sha256 mismatch integrity and discards the download", async () => {
    const ctx = context();
    const { candidate: c } = await prewarmCandidate(candidate(`${server.url}/fx-1m.gguf`, { sha256: "0".repeat(64) }), ctx);
    expect(c).toMatchObject({ status: "integrity", path: null });
    expect(c.reason).toContain(`sha256 ${sha256} but the catalog says ${"0".repeat(64)}`);
    expect(contents(ctx.modelsDir)).toEqual([]);
  });

  test("prewarmCandidate() calls a size other than the catalog's integrity", async () => {
    const ctx = context();
    const { candidate: c } = await prewarmCandidate(candidate(`${server.url}/fx-1m.gguf`, { bytes: bytes.length + 1 }), ctx);
    expect(c.status).toBe("integrity");
    expect(c.reason).toContain(`has ${bytes.length} bytes but the catalog says ${bytes.length + 1}`);
    expect(contents(ctx.modelsDir)).toEqual([]);
  });
});

describe("prewarmCandidate() on local files", () => {
  test("prewarmCandidate() marks a model over the memory budget too_big without reading it", async () => {
    const { candidate: c } = await prewarmCandidate(candidate("fixture:fx-1m"), context(undefined, { memoryBudgetBytes: 1024 }));
    expect(c).toMatchObject({ status: "too_big", load_ms: null });
    expect(c.estimate_bytes).toBeGreaterThan(1024);
    expect(c.reason).toContain("over the memory budget of 0 MiB");
  });

  test("prewarmCandidate() estimates at the target context", async () => {
    const small = await prewarmCandidate(candidate("fixture:fx-1m"), context(undefined, { targetContext: 512 }));
    const large = await prewarmCandidate(candidate("fixture:fx-1m"), context(undefined, { targetContext: 16384 }));
    expect(large.candidate.estimate_bytes!).toBeGreaterThan(small.candidate.estimate_bytes!);
  });

  test("prewarmCandidate() calls each corrupted copy integrity, naming the defect", async () => {
    const dir = tempDir();
    const copies = corruptCopies((await testFixture("fx-1m")).path, dir);
    const expected = {
      truncated: "tensor_out_of_bounds", flippedMagic: "bad_magic", headerOnly: "tensor_out_of_bounds", cutInMetadata: "", empty: "",
    } as const;
    for (const [name, defect] of Object.entries(expected)) {
      const { candidate: c } = await prewarmCandidate(candidate(copies[name as keyof typeof expected]), context());
      expect(c.status, name).toBe("integrity");
      expect(c.reason!, name).toContain(defect);
    }
  });

  test("prewarmCandidate() calls a missing local file transient", async () => {
    const { candidate: c } = await prewarmCandidate(candidate("/nonexistent/model.gguf"), context());
    expect(c).toMatchObject({ status: "transient", reason: "local model file /nonexistent/model.gguf does not exist" });
  });

  test("prewarmCandidate() checks a local file's sha256 while reading it", async () => {
    const dir = tempDir();
    const path = join(dir, "copy.gguf");
    writeFileSync(path, bytes);
    expect((await prewarmCandidate(candidate(path, { sha256 }), context())).candidate.status).toBe("warmed");
    const bad = await prewarmCandidate(candidate(path, { sha256: "f".repeat(64) }), context());
    expect(bad.candidate).toMatchObject({ status: "integrity", path });
  });
});
