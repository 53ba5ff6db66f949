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
 * 2. `decodeBatch(true)` runs the decode step on the calling JS thread, as llama-bench and
 *    llama-server's slot loop call llama_decode, instead of as a worker-pool job; `decodeBatch()`
 *    (what node-llama-cpp calls) keeps the job. The job's thread wake-ups cost ~0.9 ms of every
 *    6.5 ms fx-80m token at 2 threads (a raw addon decode loop ran at 0.86–0.89× llama-bench's tg,
 *    in Bun and Node alike). Which steps go inline is decided in JS (lib/engine/io/inline-decode.ts):
 *    short decode steps, and prompt steps measured to fit 5× the cap, so the event loop is never held for long.
 *
 * 3. `sampleToken(index, sampler, probabilities, confidence, true)` samples on the calling thread,
 *    as llama-server does after each step, instead of as a second worker job per token: that job's
 *    wake-ups cost ~0.2 ms of a 4.9 ms fx-80m token at 2 threads (sampling itself is microseconds).
 *    The worker class runs its own Execute/OnOK/OnError, so results and errors are the job's.
 */
const HELPERS = `
// --- macprovider: one persistent ggml threadpool per context, inline decode steps and sampling (see lib/engine/addon-context-patch.ts) ---
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

// decodeBatch(true): this step runs on the calling thread (see lib/engine/addon-context-patch.ts).
static bool macprovider_decode_inline(const Napi::CallbackInfo& info, const llama_batch & batch) {
    return batch.n_tokens > 0 && info.Length() > 0 && info[0].IsBoolean() && info[0].As<Napi::Boolean>().Value();
}

// sampleToken(..., true): sample on the calling thread. The flag is the fifth argument, since the
// third and fourth (probabilities, confidence) switch the result's shape when they are booleans.
static bool macprovider_sample_inline(const Napi::CallbackInfo& info) {
    return info.Length() > 4 && info[4].IsBoolean() && info[4].As<Napi::Boolean>().Value();
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
    if (macprovider_decode_inline(info, batch)) {
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
    "        void OnError(const Napi::Error& err) {\n            deferred.Reject(err.Value());\n        }\n};\n\nAddonContext::AddonContext(",
    `        void OnError(const Napi::Error& err) {
            deferred.Reject(err.Value());
        }

    public:
        // macprovider: the job's own Execute/OnOK/OnError on the calling thread (see lib/engine/addon-context-patch.ts).
        // SetError hides AsyncWorker's, which keeps the message private, so the inline path can read it.
        std::string macprovider_error;
        void SetError(const std::string& error) {
            macprovider_error = error;
            Napi::AsyncWorker::SetError(error);
        }
        Napi::Value macproviderRunInline() {
            Execute();
            Napi::Promise promise = deferred.Promise();
            if (macprovider_error.empty()) OnOK();
            else OnError(Napi::Error::New(Env(), macprovider_error));
            delete this; // never queued: nothing else owns it
            return promise;
        }
};

AddonContext::AddonContext(`,
  ],
  [
    "    AddonContextSampleTokenWorker* worker = new AddonContextSampleTokenWorker(info, this);\n    worker->Queue();\n",
    "    AddonContextSampleTokenWorker* worker = new AddonContextSampleTokenWorker(info, this);\n    if (macprovider_sample_inline(info)) return worker->macproviderRunInline();\n    worker->Queue();\n",
  ],
  [
    "        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
    "        macprovider_attach_pool(ctx, resolvedThreads);\n        llama_set_n_threads(ctx, resolvedThreads, resolvedThreads);\n",
  ],
];

export const PATCH_MARKER = "macprovider: one persistent ggml threadpool per context, inline decode steps and sampling";

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
