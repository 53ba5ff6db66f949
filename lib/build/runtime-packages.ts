/**
 * Which packages the compiled binary needs beside it (PIPE-3): node-llama-cpp and everything it
 * depends on, plus the prebuilt llama.cpp binaries for this platform — the CPU one always, the
 * accelerator variants (CUDA, Vulkan) only when asked, since they weigh hundreds of megabytes.
 */
export type PackageInfo = { dependencies: string[]; optionalDependencies: string[] };

export function runtimePackages(read: (name: string) => PackageInfo | null, platform: string, arch: string, gpuVariants: boolean): string[] {
  const os = platform === "darwin" ? "mac" : platform === "win32" ? "win" : platform;
  const wanted = (name: string) => {
    const m = /^@node-llama-cpp\/([a-z]+)-([a-z0-9]+)(?:-(.+))?$/.exec(name);
    if (!m) return true; // not a prebuilt binary package: a plain optional dependency
    if (m[1] !== os || m[2] !== arch) return false;
    return m[3] === undefined || m[3] === "metal" || gpuVariants;
  };
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const info = read(name);
    if (info === null) return; // an optional dependency not installed here
    seen.add(name);
    for (const dep of info.dependencies) visit(dep);
    for (const dep of info.optionalDependencies) if (wanted(dep)) visit(dep);
  };
  visit("node-llama-cpp");
  return [...seen].sort();
}
