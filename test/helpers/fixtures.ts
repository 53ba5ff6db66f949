/** Test fixtures: the small synthetic models, generated once into the repo's ignored .cache folder. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildByteVocab } from "../../lib/fixtures/byte-vocab.ts";
import type { FixtureModel } from "../../lib/fixtures/io/ensure-fixture.ts";
import { fixtureByName } from "../../lib/fixtures/io/fixture-by-name.ts";
import { findFixtureSpec, fixtureMetadata, fixtureTensors } from "../../lib/fixtures/fixture-family.ts";
import { fixtureTensorChunks } from "../../lib/fixtures/fixture-tensor-data.ts";
import { layoutGguf } from "../../lib/gguf/layout-gguf.ts";
import { writeGgufFile } from "../../lib/gguf/io/write-gguf-file.ts";

export const REPO_ROOT = resolve(import.meta.dir, "../..");
export const TEST_FIXTURES_DIR = join(REPO_ROOT, ".cache", "test-fixtures");

/** The fixtures small enough for every test run. */
export const SMALL_FIXTURES = ["fx-1m", "fx-8m", "fx-30m", "fx-80m"] as const;

export function testFixture(name: string): Promise<FixtureModel> {
  return fixtureByName(TEST_FIXTURES_DIR, name);
}

export function tempDir(prefix = "macprovider-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** fx-1m with a vocabulary llama.cpp cannot load, written by the real writer. */
export async function writeBadVocabModel(dir: string, name: string, defect: { duplicateToken?: boolean; dropByteTokens?: readonly number[] }): Promise<string> {
  const spec = findFixtureSpec("fx-1m")!;
  const vocab = buildByteVocab(defect);
  const layout = layoutGguf(fixtureMetadata(spec, vocab), fixtureTensors(spec, vocab.tokens.length));
  const path = join(dir, `${name}.gguf`);
  await writeGgufFile(path, layout, (t) => fixtureTensorChunks("bad", t));
  return path;
}

/** Copies of a good model with one corruption each. */
export function corruptCopies(source: string, dir: string) {
  const bytes = readFileSync(source);
  const headerEnd = layoutGguf(fixtureMetadata(findFixtureSpec("fx-1m")!), fixtureTensors(findFixtureSpec("fx-1m")!, buildByteVocab().tokens.length)).dataOffset;
  const write = (name: string, data: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const flipped = Buffer.from(bytes);
  flipped.write("FUGG", 0, "latin1");
  copyFileSync(source, join(dir, "intact.gguf"));
  return {
    intact: join(dir, "intact.gguf"),
    truncated: write("truncated.gguf", bytes.subarray(0, Math.floor(bytes.length / 2))),
    flippedMagic: write("flipped-magic.gguf", flipped),
    headerOnly: write("header-only.gguf", bytes.subarray(0, headerEnd)),
    cutInMetadata: write("cut-in-metadata.gguf", bytes.subarray(0, 4096)),
    empty: write("empty.gguf", new Uint8Array(0)),
  };
}
