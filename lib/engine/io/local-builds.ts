/** The local llama.cpp builds node-llama-cpp has made (its llama/localBuilds folder), read from disk. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GpuBackend } from "../engine-knobs.ts";
import { localBuildCmakeOptions, type BuildHost } from "../local-build-options.ts";

export const NODE_LLAMA_CPP_DIR = join(import.meta.dir, "../../../node_modules/node-llama-cpp");
const LOCAL_BUILDS = join(NODE_LLAMA_CPP_DIR, "llama/localBuilds");

let host: BuildHost | null = null;

/** This machine as the build options see it (/proc/cpuinfo's flags on Linux); read once. */
export function buildHost(): BuildHost {
  if (!host) {
    let cpuinfo: string | null = null;
    try {
      if (process.platform === "linux") cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      // No cpuinfo (a sandbox): node-llama-cpp's native build, as on other platforms.
    }
    const cpuFlags = cpuinfo?.match(/^flags\s*:\s*(.*)$/m)?.[1]?.trim().split(/\s+/) ?? null;
    host = { platform: process.platform, arch: process.arch, cpuFlags };
  }
  return host;
}

/** The local build's CMake options on this machine (see localBuildCmakeOptions). */
export function hostLocalBuildOptions(): Record<string, string> {
  return localBuildCmakeOptions(buildHost());
}

/** `gpu`: the backend the build is for (false = CPU only). */
export type LocalBuild = { folder: string; customCmakeOptions: Record<string, string>; llamaCppRelease: string | null; gpu: GpuBackend | false };

export function listLocalBuilds(): LocalBuild[] {
  if (!existsSync(LOCAL_BUILDS)) return [];
  return readdirSync(LOCAL_BUILDS).filter((f) => !f.startsWith(".")).flatMap((folder) => {
    const metaPath = join(LOCAL_BUILDS, folder, "Release", "_nlcBuildMetadata.json");
    if (!existsSync(metaPath)) return []; // an interrupted build
    const meta = JSON.parse(readFileSync(metaPath, "utf8"));
    return [{ folder, customCmakeOptions: meta?.buildOptions?.customCmakeOptions ?? {}, llamaCppRelease: meta?.buildOptions?.llamaCpp?.release ?? null, gpu: meta?.buildOptions?.gpu ?? false }];
  });
}

/** Whether a local build made with exactly these custom CMake options exists (for that backend, when `gpu` is given). */
export function hasLocalBuild(options: Record<string, string>, gpu?: GpuBackend | false): boolean {
  const wanted = JSON.stringify(Object.entries(options).sort());
  return listLocalBuilds().some((b) => JSON.stringify(Object.entries(b.customCmakeOptions).sort()) === wanted && (gpu === undefined || b.gpu === gpu));
}

/** The builds Stage 2's engine axis can offer here: prebuilt, plus local when `engine build` made one for this backend. */
export function enginesPresent(gpu: GpuBackend | null): ("prebuilt" | "local")[] {
  return hasLocalBuild(hostLocalBuildOptions(), gpu ?? false) ? ["prebuilt", "local"] : ["prebuilt"];
}
