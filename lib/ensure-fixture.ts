/**
 * Makes one synthetic fixture model exist on disk, reusing an identical file: a sidecar records the
 * generator version, spec and sha256, and the file is rewritten only when those disagree.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildByteVocab } from "./byte-vocab.ts";
import { fixtureTensorChunks } from "./fixture-tensor-data.ts";
import { countParams, FIXTURE_GENERATOR_VERSION, fixtureMetadata, fixtureTensors, type FixtureSpec } from "./fixture-family.ts";
import { layoutGguf } from "./gguf-writer.ts";
import { writeGgufFile } from "./write-gguf-file.ts";

export type FixtureModel = {
  name: string;
  path: string;
  /** Billions of parameters, as catalogs state model size. */
  size_b: number;
  params: number;
  bytes: number;
  sha256: string;
};

type Sidecar = { generator: string; spec: FixtureSpec; bytes: number; sha256: string; mtimeMs?: number };

/** Writes `DIR/<name>.gguf` unless an identical one is already there; returns what is on disk. */
export async function ensureFixture(dir: string, spec: FixtureSpec): Promise<FixtureModel & { reused: boolean }> {
  const vocab = buildByteVocab();
  const tensors = fixtureTensors(spec, vocab.tokens.length);
  const params = countParams(tensors);
  const path = join(dir, `${spec.name}.gguf`);
  const sidecarPath = `${path}.json`;
  const describe = (bytes: number, sha256: string) => ({
    name: spec.name, path, size_b: Math.round(params / 1e6) / 1e3, params, bytes, sha256,
  });

  removeStaleTemps(dir, `${spec.name}.gguf.tmp-`);
  const recorded = readSidecar(sidecarPath);
  if (recorded && recorded.generator === FIXTURE_GENERATOR_VERSION && JSON.stringify(recorded.spec) === JSON.stringify(spec) && existsSync(path)) {
    const stat = statSync(path);
    // Same size and mtime as when written: the file is ours, untouched; else prove it by hashing.
    const untouched = stat.size === recorded.bytes && stat.mtimeMs === recorded.mtimeMs;
    if (untouched || (stat.size === recorded.bytes && (await sha256File(path)) === recorded.sha256)) {
      return { ...describe(recorded.bytes, recorded.sha256), reused: true };
    }
  }

  const layout = layoutGguf(fixtureMetadata(spec, vocab), tensors);
  const seed = `${FIXTURE_GENERATOR_VERSION}/${spec.name}`;
  const { bytes, sha256 } = await writeGgufFile(path, layout, (t) => fixtureTensorChunks(seed, t));
  const sidecar: Sidecar = { generator: FIXTURE_GENERATOR_VERSION, spec, bytes, sha256, mtimeMs: statSync(path).mtimeMs };
  writeFileSync(sidecarPath, JSON.stringify(sidecar, null, 2) + "\n");
  return { ...describe(bytes, sha256), reused: false };
}

export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

/** Temp files of writers that died (Ctrl-C mid-write) are removed; a live writer's are left alone. */
function removeStaleTemps(dir: string, prefix: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readSidecar(path: string): Sidecar | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Sidecar;
  } catch {
    return null; // missing or unreadable: regenerate
  }
}
