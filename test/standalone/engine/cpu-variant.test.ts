import { describe, expect, test } from "bun:test";
import { cmakeOptionsForCpuVariant, cpuVariantFor, ggmlFeaturesFromCpuinfo } from "../../../lib/engine/cpu-variant.ts";
import { localBuildCmakeOptions } from "../../../lib/engine/local-build-options.ts";

const XEON_SPR = "fpu sse4_2 avx f16c fma avx2 bmi2 avx512f avx512cd avx512vl avx512dq avx512bw avx512vbmi avx512_vnni avx512_bf16 avx_vnni amx_tile amx_int8 amx_bf16".split(" ");
const ZEN4 = "sse4_2 avx f16c fma avx2 bmi2 avx512f avx512cd avx512vl avx512dq avx512bw avx512vbmi avx512_vnni avx512_bf16".split(" ");

describe("cpuVariantFor()", () => {
  test.each([
    ["a Sapphire Rapids Xeon", XEON_SPR, "sapphirerapids"],
    ["a Zen 4", ZEN4, "zen4"],
    ["an Alder Lake (AVX-VNNI, no AVX-512)", "sse4_2 avx f16c fma avx2 bmi2 avx_vnni".split(" "), "alderlake"],
    ["a Haswell", "sse4_2 avx f16c fma avx2 bmi2".split(" "), "haswell"],
    ["AVX-512 without all five base flags", "sse4_2 avx f16c fma avx2 bmi2 avx512f".split(" "), "haswell"],
    ["nothing known", ["fpu"], "x64"],
    ["AVX-512 plus AVX-VNNI but no AVX512-VNNI (ggml weighs AVX-512 above AVX-VNNI)", "sse4_2 avx f16c fma avx2 bmi2 avx_vnni avx512f avx512cd avx512vl avx512dq avx512bw".split(" "), "skylakex"],
  ])("cpuVariantFor() picks ggml's variant for %s", (_, flags, variant) => {
    expect(cpuVariantFor(ggmlFeaturesFromCpuinfo(flags))).toBe(variant);
  });
});

describe("cmakeOptionsForCpuVariant()", () => {
  test("cmakeOptionsForCpuVariant() turns native off and exactly the variant's features on", () => {
    const options = cmakeOptionsForCpuVariant("sapphirerapids");
    expect(options.GGML_NATIVE).toBe("OFF");
    expect(options.GGML_AMX_INT8).toBe("ON");
    expect(options.GGML_AVX_VNNI).toBe("OFF");
    expect(options.GGML_AMX_BF16).toBe("OFF");
    expect(Object.values(cmakeOptionsForCpuVariant("x64")).filter((v) => v === "ON")).toEqual([]);
  });

  test("cmakeOptionsForCpuVariant() names the known variants for an unknown one", () => {
    expect(() => cmakeOptionsForCpuVariant("pentium")).toThrow(/unknown ggml CPU variant "pentium"; known: x64, sse42/);
  });
});

describe("localBuildCmakeOptions()", () => {
  test.each([
    ["x86 Linux builds for the prebuilt's variant", { platform: "linux", arch: "x64", cpuFlags: ZEN4 }, { GGML_NATIVE: "OFF", GGML_AVX512_BF16: "ON", GGML_AMX_INT8: "OFF" }],
    ["a Sapphire Rapids builds its variant without AMX", { platform: "linux", arch: "x64", cpuFlags: XEON_SPR }, { GGML_NATIVE: "OFF", GGML_AVX512_VNNI: "ON", GGML_AMX_TILE: "OFF", GGML_AMX_INT8: "OFF" }],
    ["Apple Silicon keeps the native build", { platform: "darwin", arch: "arm64", cpuFlags: null }, {}],
    ["ARM Linux keeps the native build", { platform: "linux", arch: "arm64", cpuFlags: ["fp", "asimd"] }, {}],
  ])("localBuildCmakeOptions(): %s", (_, host, extra) => {
    const options = localBuildCmakeOptions(host);
    expect(options).toMatchObject({ GGML_OPENMP: "OFF", MACPROVIDER_ADDON_PATCH: "4", ...extra });
    if (Object.keys(extra).length === 0) expect(Object.keys(options).sort()).toEqual(["GGML_OPENMP", "MACPROVIDER_ADDON_PATCH"]);
  });
});
