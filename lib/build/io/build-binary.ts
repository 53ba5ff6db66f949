/**
 * `npm run build` (PIPE-3): `bun build --compile` of the one entry point (plus the tokenizer worker,
 * which a compiled program can only start when it is bundled as an entry point of its own) into
 * `dist/macprovider`, and the runtime folder beside it: node-llama-cpp and its dependencies, which
 * cannot be embedded, copied into `dist/node_modules` (without the 34 MB git bundle of llama.cpp's source).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { runtimePackages, type PackageInfo } from "../runtime-packages.ts";

export type BuildOptions = { root: string; outDir: string; gpuVariants: boolean; log(line: string): void };

export type BuildResult = { binary: string; packages: string[] };

export const BINARY_ENTRY_POINTS = ["scripts/cli.ts", "lib/serve/io/tokenizer-worker.ts"];

export async function buildBinary(o: BuildOptions): Promise<BuildResult> {
  rmSync(o.outDir, { recursive: true, force: true });
  mkdirSync(o.outDir, { recursive: true });
  const binary = join(o.outDir, "macprovider");
  const entries = BINARY_ENTRY_POINTS.map((e) => join(o.root, e)).filter((e) => existsSync(e));
  o.log(`compiling ${entries.length} entry point(s) into ${binary}`);
  const proc = Bun.spawn([process.execPath, "build", "--compile", "--compile-autoload-package-json", "--outfile", binary, ...entries], { cwd: o.root, stdout: "pipe", stderr: "pipe" });
  const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`build: bun build --compile exited ${code}: ${err.trim().split("\n").slice(-3).join(" ")}`);
  const modules = join(o.root, "node_modules");
  const packages = runtimePackages((name) => readPackage(modules, name), process.platform, process.arch, o.gpuVariants);
  for (const name of packages) {
    cpSync(join(modules, name), join(o.outDir, "node_modules", name), {
      recursive: true,
      dereference: true,
      filter: (src) => !src.endsWith("gitRelease.bundle") && !src.includes("/llama/localBuilds/"),
    });
  }
  o.log(`copied ${packages.length} runtime package(s) into ${join(o.outDir, "node_modules")}`);
  return { binary, packages };
}

function readPackage(modules: string, name: string): PackageInfo | null {
  const file = join(modules, name, "package.json");
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  return { dependencies: Object.keys(pkg.dependencies ?? {}), optionalDependencies: Object.keys(pkg.optionalDependencies ?? {}) };
}
