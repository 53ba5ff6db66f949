/**
 * ggml's x86 CPU backend variants (ggml/src/CMakeLists.txt, GGML_CPU_ALL_VARIANTS: the set
 * node-llama-cpp's prebuilt Linux/Windows binaries ship) and the one a CPU gets: the highest-scoring
 * variant whose features the CPU all has — what ggml's loader picks at run time. Building for that
 * variant's features instead of `-march=native` gives a build the prebuilt's kernels.
 */
const X86_VARIANTS: [name: string, features: string[]][] = [
  ["x64", []],
  ["sse42", ["SSE42"]],
  ["sandybridge", ["SSE42", "AVX"]],
  ["ivybridge", ["SSE42", "AVX", "F16C"]],
  ["piledriver", ["SSE42", "AVX", "F16C", "FMA"]],
  ["haswell", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2"]],
  ["skylakex", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512"]],
  ["cannonlake", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VBMI"]],
  ["cascadelake", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VNNI"]],
  ["icelake", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VBMI", "AVX512_VNNI"]],
  ["cooperlake", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VNNI", "AVX512_BF16"]],
  ["zen4", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16"]],
  ["alderlake", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX_VNNI"]],
  ["sapphirerapids", ["SSE42", "AVX", "F16C", "FMA", "AVX2", "BMI2", "AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AMX_TILE", "AMX_INT8"]],
];

/** Every x86 feature switch ggml's CMake knows; a variant turns exactly its own on. */
const ALL_FEATURES = ["SSE42", "AVX", "AVX2", "BMI2", "AVX_VNNI", "FMA", "F16C", "AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16", "AMX_TILE", "AMX_INT8", "AMX_BF16"];

/** /proc/cpuinfo flags behind each ggml feature. */
const CPUINFO_FLAGS: Record<string, string[]> = {
  SSE42: ["sse4_2"], AVX: ["avx"], F16C: ["f16c"], FMA: ["fma"], AVX2: ["avx2"], BMI2: ["bmi2"], AVX_VNNI: ["avx_vnni"],
  AVX512: ["avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"], AVX512_VBMI: ["avx512vbmi"], AVX512_VNNI: ["avx512_vnni"],
  AVX512_BF16: ["avx512_bf16"], AMX_TILE: ["amx_tile"], AMX_INT8: ["amx_int8"],
};

/** The ggml features a CPU with these /proc/cpuinfo flags has. */
export function ggmlFeaturesFromCpuinfo(flags: readonly string[]): Set<string> {
  const have = new Set(flags);
  return new Set(Object.entries(CPUINFO_FLAGS).filter(([, need]) => need.every((f) => have.has(f))).map(([feature]) => feature));
}

/** ggml's loader weights (ggml-cpu/arch/x86/cpu-feats.cpp, ggml_backend_cpu_x86_score): one bit each. */
const SCORE_BITS = ["FMA", "F16C", "SSE42", "BMI2", "AVX", "AVX2", "AVX_VNNI", "AVX512", "AVX512_VBMI", "AVX512_BF16", "AVX512_VNNI", "AMX_INT8"];

/** The variant ggml's loader would pick for these features: the highest score whose features are all present. */
export function cpuVariantFor(features: ReadonlySet<string>): string {
  const score = (needs: string[]) => needs.reduce((sum, f) => sum + (SCORE_BITS.includes(f) ? 1 << SCORE_BITS.indexOf(f) : 0), 1);
  let best = X86_VARIANTS[0]!;
  for (const variant of X86_VARIANTS) {
    if (variant[1].every((f) => features.has(f)) && score(variant[1]) > score(best[1])) best = variant;
  }
  return best[0];
}

/** CMake options that build one CPU backend with exactly `variant`'s features (no -march=native). */
export function cmakeOptionsForCpuVariant(variant: string): Record<string, string> {
  const features = X86_VARIANTS.find(([name]) => name === variant)?.[1];
  if (!features) throw new Error(`unknown ggml CPU variant ${JSON.stringify(variant)}; known: ${X86_VARIANTS.map(([n]) => n).join(", ")}`);
  return Object.fromEntries([["GGML_NATIVE", "OFF"], ...ALL_FEATURES.map((f) => [`GGML_${f}`, features.includes(f) ? "ON" : "OFF"])]);
}
