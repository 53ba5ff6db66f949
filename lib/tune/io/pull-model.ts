/**
 * `macprovider pull REF` (MOD-1): one model made local exactly as pre-warm does it (download into
 * staging, check, rename into place; reuse; fixtures generated; local paths checked in place).
 */
import { CliError } from "../../cli/cli-error.ts";
import { checkSha256 } from "../check-sha256.ts";
import { classifyPrewarmFailure, type PrewarmStep } from "../classify-prewarm-failure.ts";
import type { ModelRef } from "../model-ref.ts";
import { checkModelFile } from "./check-model-file.ts";
import type { DownloadProgress } from "./download-model.ts";
import { makeModelLocal, type LocalModel } from "./make-model-local.ts";
import { readWeightsOnce } from "./read-weights-once.ts";

/** Exit statuses of pull: an integrity failure as pre-warm's (5), a transient one EX_TEMPFAIL (75). */
export const PULL_EXIT = { integrity: 5, transient: 75 } as const;

export type PullOptions = {
  modelsDir: string;
  fixturesDir: string;
  stallMs: number;
  /** Expected file, as a catalog entry would state it. */
  sha256?: string;
  bytes?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
};

export type PullResult = { ref: string; path: string; source: LocalModel["source"]; bytes: number; architecture: string; sha256: string | null };

/** Throws a CliError (exit 5 or 75) naming the reference and the reason when the model cannot be made local. */
export async function pullModel(ref: ModelRef, options: PullOptions): Promise<PullResult> {
  let step: PrewarmStep = "fetch";
  let sha256: string | null = null;
  const hashIfAsked = async (path: string) => {
    if (options.sha256 === undefined || sha256 !== null) return;
    sha256 = (await readWeightsOnce(path, { sha256: true })).sha256;
    checkSha256(path, options.sha256, sha256);
  };
  try {
    const local = await makeModelLocal(ref, {
      ...options,
      async verify(staged) {
        checkModelFile(staged, options);
        await hashIfAsked(staged);
      },
    });
    step = "check";
    const summary = checkModelFile(local.path, options);
    await hashIfAsked(local.path);
    return { ref: ref.ref, path: local.path, source: local.source, bytes: summary.fileSize, architecture: summary.architecture, sha256 };
  } catch (error) {
    const failure = classifyPrewarmFailure(error, step);
    const cliError = new CliError(`pull ${ref.ref}: ${failure.status}: ${failure.reason}`, PULL_EXIT[failure.status]);
    cliError.cause = error;
    throw cliError;
  }
}
