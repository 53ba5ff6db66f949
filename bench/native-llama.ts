/**
 * llama-bench and llama-server built natively from the llama.cpp source node-llama-cpp bundles
 * (its gitRelease.bundle, so offline), into a cache folder. The reference the engine is measured
 * against: same source, same machine. Never built in CI: only on request (`--build-native`).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../lib/host/io/paths.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { cpuVariantCmakeOptions } from "../lib/engine/local-build-options.ts";
import { buildHost } from "../lib/engine/io/local-builds.ts";

const LLAMA_DIR = join(import.meta.dir, "../node_modules/node-llama-cpp/llama");

export function bundledLlamaRelease(): string {
  return (JSON.parse(readFileSync(join(LLAMA_DIR, "binariesGithubRelease.json"), "utf8")) as { release: string }).release;
}

export function nativeToolsDir(): string {
  return join(cacheDir(), `llama.cpp-${bundledLlamaRelease()}`);
}

export function nativeTool(name: "llama-bench" | "llama-server"): string | null {
  const path = join(nativeToolsDir(), "build", "bin", name);
  return existsSync(path) ? path : null;
}

async function run(cmd: string[], cwd: string): Promise<void> {
  logger.info(`$ ${cmd.join(" ")}`);
  const proc = Bun.spawn(cmd, { cwd, stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error(`${cmd[0]} failed (exit ${proc.exitCode})`);
}

/**
 * The CPU features of the variant node-llama-cpp's prebuilt binary loads on this CPU (ggml's pick),
 * as the local engine build uses (local-build-options.ts), so the reference runs the same kernels;
 * -march=native where there are no variants (ARM, macOS).
 */
function cpuFlags(): string[] {
  const options = cpuVariantCmakeOptions(buildHost());
  if (Object.keys(options).length === 0) return ["-DGGML_NATIVE=ON"];
  return Object.entries(options).map(([k, v]) => `-D${k}=${v}`);
}

/** Clones the bundled source and builds both tools (Release, native CPU, no GPU). Minutes on 2 cores. */
export async function buildNativeTools(): Promise<void> {
  const dir = nativeToolsDir();
  const src = join(dir, "src");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(src, "CMakeLists.txt"))) await run(["git", "clone", "--quiet", join(LLAMA_DIR, "gitRelease.bundle"), src], dir);
  await run(["cmake", "-S", src, "-B", join(dir, "build"), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", ...cpuFlags(),
    "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_TOOLS=ON", "-DLLAMA_BUILD_SERVER=ON"], dir);
  await run(["cmake", "--build", join(dir, "build"), "--target", "llama-bench", "llama-server", "-j", "2"], dir);
}

if (import.meta.main) {
  await buildNativeTools();
  logger.success(`built ${nativeTool("llama-bench")} and ${nativeTool("llama-server")}`);
}
