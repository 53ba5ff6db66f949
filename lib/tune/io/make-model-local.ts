/**
 * Makes a model reference a local file (MOD-1, PW-1): a local path is used in place, a fixture is
 * generated, an `hf:` reference or URL already in the models folder is reused, else downloaded.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { resolveModelFile } from "../../engine/io/node-llama-cpp.ts";
import { findFixtureSpec } from "../../fixtures/fixture-family.ts";
import { ensureFixture } from "../../fixtures/io/ensure-fixture.ts";
import { ModelFileError } from "../model-file-error.ts";
import type { ModelRef } from "../model-ref.ts";
import { downloadModel, type DownloadOptions } from "./download-model.ts";

export type LocalModel = { path: string; source: "local" | "generated" | "reused" | "downloaded" };

export type MakeLocalOptions = DownloadOptions & { fixturesDir: string };

export async function makeModelLocal(ref: ModelRef, options: MakeLocalOptions): Promise<LocalModel> {
  switch (ref.kind) {
    case "path": {
      if (!existsSync(ref.path) || !statSync(ref.path).isFile()) throw new ModelFileError("not_found", `local model file ${ref.path} does not exist`);
      return { path: ref.path, source: "local" };
    }
    case "fixture": {
      mkdirSync(options.fixturesDir, { recursive: true });
      const model = await ensureFixture(options.fixturesDir, findFixtureSpec(ref.fixture)!);
      return { path: model.path, source: "generated" };
    }
    case "hf":
    case "url": {
      const found = await findLocalModel(ref, options.modelsDir);
      if (found) return { path: found, source: "reused" };
      return { path: await downloadModel(ref, options), source: "downloaded" };
    }
  }
}

/**
 * The file a remote reference was downloaded to before, found offline: only complete, verified
 * downloads are ever renamed into the models folder, so a file there is the whole model.
 */
export async function findLocalModel(ref: Extract<ModelRef, { kind: "hf" | "url" }>, modelsDir: string): Promise<string | null> {
  if (!existsSync(modelsDir)) return null;
  if (ref.kind === "url") {
    const path = join(modelsDir, ref.fileName);
    return existsSync(path) ? path : null;
  }
  try {
    return await resolveModelFile(ref.ref, { directory: modelsDir, download: false, cli: false });
  } catch {
    return null; // not there (node-llama-cpp says so by throwing)
  }
}
