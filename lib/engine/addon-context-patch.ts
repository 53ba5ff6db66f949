/**
 * A source patch for node-llama-cpp's addon, applied only to the local build `engine build` makes.
 * Two changes, both measured on 2 cores:
 *
 * 1. One persistent ggml threadpool per context. llama_decode runs on whichever thread of the JS runtime's worker pool picks up the async job
 * (Bun's pool has at least 2 threads and ignores UV_THREADPOOL_SIZE=1). With OpenMP, libgomp keeps a
 * thread team per calling thread, so idle teams spin against the working one on a 2-core CPU; without
 * OpenMP and without an attached pool, ggml creates and joins a throw-away threadpool for every graph,
 * i.e. every token. The patch gives each context one persistent ggml threadpool, attached the way
 * llama-bench and llama-server attach theirs, in a build with GGML_OPENMP=OFF.
 *
 * 2. Opt-in (MACPROVIDER_INLINE_DECODE_TOKENS=N: batches of at most N tokens; -1 = one token per
 *    sequence; unset or 0 = never): a decode step runs on the calling JS thread, as llama-bench and
 *    llama-server's slot loop call llama_decode, instead of a worker-pool job. The job's thread
 *    wake-ups cost ~0.9 ms of every 6.5 ms fx-80m token at 2 threads (a raw addon decode loop ran at
 *    0.86–0.89× llama-bench's tg, in Bun and Node alike); inline, serve's stream decode matched
 *    llama-server (185 vs 184 tok/s). Off by default because under serve the SSE events then reach
 *    the client in bursts of ~8 (written every step server-side, received every ~60 ms), which
 *    doubled the short-prompt TTFT (107 vs 44 ms); not yet explained (a plain Bun server blocking
 *    the same way delivers every event on time). Prompt chunks always keep the worker job.
 */
const HELPERS = `
// --- macprovider: one persistent ggml threadpool per context, inline decode steps (see lib/engine/addon-context-patch.ts) ---
#include "ggml-cpu.h"
#include "ggml-backend.h"
#include <cstdlib>
#include <string>
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

// Decode steps up to this many tokens run inline (see lib/engine/addon-context-patch.ts).
// Read per call (a getenv is ~100 ns against a step's milliseconds), so a process can switch it.
static bool macprovider_decode_inline(llama_context * ctx, const llama_batch & batch) {
    const char * v = std::getenv("MACPROVIDER_INLINE_DECODE_TOKENS");
    if (v == nullptr || *v == 0) return false;
    const long limit = std::atol(v);
    const long most = limit < 0 ? (long) llama_n_seq_max(ctx) : limit;
    return batch.n_tokens > 0 && batch.n_tokens <= most;
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
    "Napi::Value AddonContext::DecodeBatch(const Napi::CallbackInfo& info) {\n",
    `Napi::Value AddonContext::DecodeBatch(const Napi::CallbackInfo& info) {
    if (macprovider_decode_inline(ctx, batch)) {
        // Same outcomes as AddonContextDecodeBatchWorker, without the worker.
        auto deferred = Napi::Promise::Deferred::New(info.Env());
        std::string error;
        try {
            const int r = llama_decode(ctx, batch);
            if (r == 1) error = "could not find a KV slot for the batch (try reducing the size of the batch or increase the context)";
            else if (r != 0) error = "Eval has failed";
            else llama_synchronize(ctx);
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "Unknown error when calling \\"llama_decode\\"";
        }
        if (error.empty()) deferred.Resolve(info.Env().Undefined());
        else deferred.Reject(Napi::Error::New(info.Env(), error).Value());
        return deferred.Promise();
    }
`,
  ],
  [
    "        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
    "        macprovider_attach_pool(ctx, resolvedThreads);\n        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
  ],
];

export const PATCH_MARKER = "macprovider: one persistent ggml threadpool per context, inline decode steps";

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
