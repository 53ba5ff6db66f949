/**
 * The CMake options of the local llama.cpp build that `macprovider engine build` makes and
 * `--engine local` loads (node-llama-cpp names the build folder after them, so both must agree).
 * GGML_OPENMP=OFF plus the addon patch (addon-context-patch.ts: persistent threadpool, inline decode steps); the marker
 * keeps this build apart from a plain `node-llama-cpp source build`.
 *
 * CPU kernels: on x86, the features of ggml's CPU variant the prebuilt binary loads on this CPU
 * (cpu-variant.ts) instead of `-march=native`, so the build is as deterministic as the prebuilt's
 * pick; elsewhere (Apple Silicon, ARM Linux) node-llama-cpp's native build stays.
 */
import { cmakeOptionsForCpuVariant, cpuVariantFor, ggmlFeaturesFromCpuinfo } from "./cpu-variant.ts";

export type BuildHost = { platform: string; arch: string; /** /proc/cpuinfo flags; null where there is none. */ cpuFlags: readonly string[] | null };

/** The addon patch's version: raised whenever the patched addon's interface changes (3: `decodeBatch(true)`; 4: `sampleToken(…, true)`). */
export const ADDON_PATCH_VERSION = "4";

export function localBuildCmakeOptions(host: BuildHost): Record<string, string> {
  return { GGML_OPENMP: "OFF", MACPROVIDER_ADDON_PATCH: ADDON_PATCH_VERSION, ...cpuVariantCmakeOptions(host) };
}

/**
 * On x86 with known CPU flags, the options of ggml's variant for this CPU, AMX off; elsewhere none
 * (native). AMX off because every build compiled here (gcc 12; -march=native or the variant's
 * flags; static or as a loadable backend; OpenMP on or off) dies with SIGILL at the first AMX tile
 * instruction on this project's Sapphire Rapids VMs, while node-llama-cpp's prebuilt variant runs it.
 */
export function cpuVariantCmakeOptions(host: BuildHost): Record<string, string> {
  if (host.arch !== "x64" || host.cpuFlags === null) return {};
  return { ...cmakeOptionsForCpuVariant(cpuVariantFor(ggmlFeaturesFromCpuinfo(host.cpuFlags))), GGML_AMX_TILE: "OFF", GGML_AMX_INT8: "OFF" };
}

/**
 * A marker option no local build is made with: node-llama-cpp looks for a local build whose folder
 * matches the custom CMake options, finds none, and falls back to the prebuilt binary, which it
 * accepts whatever the options (existingPrebuiltBinaryMustMatchBuildOptions is false).
 */
export const PREBUILT_ONLY_OPTIONS: Record<string, string> = { MACPROVIDER_SELECT_PREBUILT: "1" };
