/**
 * A source patch for node-llama-cpp's addon, applied only to the local build `engine build` makes.
 *
 * Why: llama_decode runs on whichever thread of the JS runtime's worker pool picks up the async job
 * (Bun's pool has at least 2 threads and ignores UV_THREADPOOL_SIZE=1). With OpenMP, libgomp keeps a
 * thread team per calling thread, so idle teams spin against the working one on a 2-core CPU; without
 * OpenMP and without an attached pool, ggml creates and joins a throw-away threadpool for every graph,
 * i.e. every token. The patch gives each context one persistent ggml threadpool, attached the way
 * llama-bench and llama-server attach theirs, in a build with GGML_OPENMP=OFF.
 */
const HELPERS = `
// --- macprovider: one persistent ggml threadpool per context (see lib/addon-threadpool-patch.ts) ---
#include "ggml-cpu.h"
#include "ggml-backend.h"
#include <cstdlib>
#include <mutex>
#include <unordered_map>

struct MacproviderPool { ggml_threadpool * pool; int n_threads; };
static std::mutex macprovider_pools_mutex;
static std::unordered_map<llama_context *, MacproviderPool> macprovider_pools;

template <typename Fn>
static Fn * macprovider_cpu_proc(const char * name) {
    auto * dev = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
    if (dev == nullptr) return nullptr;
    return (Fn *) ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(dev), name);
}

// Grows (never shrinks) the context's pool to n_threads workers; a smaller count per graph is fine.
static void macprovider_attach_pool(llama_context * ctx, int n_threads) {
    if (ctx == nullptr || n_threads < 1) return;
    std::lock_guard<std::mutex> lock(macprovider_pools_mutex);
    auto it = macprovider_pools.find(ctx);
    if (it != macprovider_pools.end() && it->second.n_threads >= n_threads) return;
    auto * new_fn = macprovider_cpu_proc<decltype(ggml_threadpool_new)>("ggml_threadpool_new");
    auto * free_fn = macprovider_cpu_proc<decltype(ggml_threadpool_free)>("ggml_threadpool_free");
    if (new_fn == nullptr || free_fn == nullptr) return;
    ggml_threadpool_params params = ggml_threadpool_params_default(n_threads);
    if (const char * poll = std::getenv("MACPROVIDER_GGML_POLL")) params.poll = (uint32_t) std::atoi(poll);
    ggml_threadpool * pool = new_fn(&params);
    if (pool == nullptr) return;
    llama_attach_threadpool(ctx, pool, pool);
    if (it != macprovider_pools.end()) free_fn(it->second.pool);
    macprovider_pools[ctx] = MacproviderPool{pool, n_threads};
}

static void macprovider_free_pool(llama_context * ctx) {
    std::lock_guard<std::mutex> lock(macprovider_pools_mutex);
    auto it = macprovider_pools.find(ctx);
    if (it == macprovider_pools.end()) return;
    if (auto * free_fn = macprovider_cpu_proc<decltype(ggml_threadpool_free)>("ggml_threadpool_free")) free_fn(it->second.pool);
    macprovider_pools.erase(it);
}
// --- end macprovider ---
`;

const EDITS: [anchor: string, replacement: string][] = [
  ['#include "AddonContext.h"\n', `#include "AddonContext.h"\n${HELPERS}`],
  [
    "context->ctx = llama_init_from_model(context->model->model, context->context_params);\n",
    "context->ctx = llama_init_from_model(context->model->model, context->context_params);\n                macprovider_attach_pool(context->ctx, context->context_params.n_threads);\n",
  ],
  ["        llama_free(currentCtx);\n", "        llama_free(currentCtx);\n        macprovider_free_pool(currentCtx);\n"],
  [
    "        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
    "        macprovider_attach_pool(ctx, resolvedThreads);\n        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
  ],
];

export const PATCH_MARKER = "macprovider: one persistent ggml threadpool per context";

/** Patches AddonContext.cpp's text; throws naming the anchor when node-llama-cpp's source moved. */
export function patchAddonContextSource(source: string): string {
  if (source.includes(PATCH_MARKER)) return source;
  let out = source;
  for (const [anchor, replacement] of EDITS) {
    const at = out.indexOf(anchor);
    if (at === -1 || out.indexOf(anchor, at + 1) !== -1) {
      throw new Error(`cannot patch AddonContext.cpp: expected exactly one ${JSON.stringify(anchor.trim())} (node-llama-cpp is not 3.21.1?)`);
    }
    out = out.slice(0, at) + replacement + out.slice(at + anchor.length);
  }
  return out;
}
