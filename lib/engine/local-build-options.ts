/**
 * The CMake options of the local native llama.cpp build that `macprovider engine build` makes and
 * `--engine local` loads (node-llama-cpp names the build folder after them, so both must agree).
 * GGML_OPENMP=OFF plus the persistent-threadpool patch (addon-threadpool-patch.ts); the marker
 * keeps this build apart from a plain `node-llama-cpp source build`.
 * AMX off: the build is `-march=native`, and a CPU can list AMX while its hypervisor traps the tile
 * instructions (measured on this project's Xeon VMs: SIGILL in the first quantized matmul, in
 * llama-bench too). Undefining the macro drops only ggml's AMX kernels; a no-op off x86.
 */
export const LOCAL_BUILD_CMAKE_OPTIONS: Record<string, string> = {
  GGML_OPENMP: "OFF",
  MACPROVIDER_THREADPOOL_PATCH: "1",
  CMAKE_C_FLAGS: "-U__AMX_INT8__",
  CMAKE_CXX_FLAGS: "-U__AMX_INT8__",
};

/**
 * A marker option no local build is made with: node-llama-cpp looks for a local build whose folder
 * matches the custom CMake options, finds none, and falls back to the prebuilt binary, which it
 * accepts whatever the options (existingPrebuiltBinaryMustMatchBuildOptions is false).
 */
export const PREBUILT_ONLY_OPTIONS: Record<string, string> = { MACPROVIDER_SELECT_PREBUILT: "1" };
