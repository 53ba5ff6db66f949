/**
 * Holds node-llama-cpp's build lock the way `macprovider engine build` does: node-llama-cpp's
 * compile step takes a proper-lockfile lock on the local build folder its options name, and getLlama
 * waits on that same lock before it loads any binary. The folder is computed by node-llama-cpp's own
 * (unexported) function, so the test holds exactly the lock serve would wait on.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { hostLocalBuildOptions, NODE_LLAMA_CPP_DIR } from "../../../lib/engine/io/local-builds.ts";

type ProperLockfile = { lock(path: string, options: { stale: number; update: number; realpath: boolean }): Promise<() => Promise<void>> };

/** The local build folder node-llama-cpp builds `--engine local` into (and locks while it builds). */
export async function localBuildFolder(): Promise<string> {
  const dist = join(NODE_LLAMA_CPP_DIR, "dist");
  const { getBuildFolderNameForBuildOptions } = await import(join(dist, "bindings/utils/getBuildFolderNameForBuildOptions.js"));
  const { resolveCustomCmakeOptions } = await import(join(dist, "bindings/utils/resolveCustomCmakeOptions.js"));
  const { getPlatform } = await import(join(dist, "bindings/utils/getPlatform.js"));
  const { builtinLlamaCppGitHubRepo, llamaLocalBuildBinsDirectory } = await import(join(dist, "config.js"));
  const { builtinLlamaCppRelease } = await import(join(dist, "bindings/utils/binariesGithubRelease.js"));
  const name = await getBuildFolderNameForBuildOptions({
    platform: getPlatform(),
    arch: process.arch,
    gpu: false,
    llamaCpp: { repo: builtinLlamaCppGitHubRepo, release: builtinLlamaCppRelease },
    customCmakeOptions: resolveCustomCmakeOptions(hostLocalBuildOptions()),
  });
  return join(llamaLocalBuildBinsDirectory, name.withCustomCmakeOptions);
}

/**
 * Takes the lock with node-llama-cpp's settings (stale 10 s, refreshed every 5 s); returns its
 * release, which also removes the localBuilds folder if it was made here and is empty again.
 */
export async function holdBuildLock(): Promise<() => Promise<void>> {
  const lockfile = createRequire(join(NODE_LLAMA_CPP_DIR, "package.json"))("proper-lockfile") as ProperLockfile;
  const folder = await localBuildFolder();
  const parent = dirname(folder);
  const madeParent = !existsSync(parent);
  mkdirSync(parent, { recursive: true });
  const release = await lockfile.lock(folder, { stale: 10_000, update: 5_000, realpath: false });
  return async () => {
    await release();
    if (madeParent && readdirSync(parent).length === 0) rmdirSync(parent);
  };
}
