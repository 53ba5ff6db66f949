import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PATCH_MARKER, patchAddonContextSource } from "../../../lib/engine/addon-context-patch.ts";
import { REPO_ROOT } from "../../helpers/fixtures.ts";

// The real source shipped with the pinned node-llama-cpp (its backup while `engine build` runs).
const sourcePath = join(REPO_ROOT, "node_modules/node-llama-cpp/llama/addon/AddonContext.cpp");
const source = readFileSync(existsSync(`${sourcePath}.macprovider-orig`) ? `${sourcePath}.macprovider-orig` : sourcePath, "utf8");

/** The source with every macprovider insertion taken out again. */
function stripPatch(patched: string): string {
  return patched
    .replace(/\n\/\/ --- macprovider[\s\S]*?\/\/ --- end macprovider ---\n/, "")
    .replace(/\n {4}if \(macprovider_decode_inline\(info, batch\)\) \{[\s\S]*?\n {4}\}(?=\n)/, "")
    .replace(/\n\n {4}public:\n {8}\/\/ macprovider: [\s\S]*?\n {8}\}\n(?=\};)/, "\n")
    .replace("\n    if (macprovider_sample_inline(info)) return worker->macproviderRunInline();", "")
    .replace(/\n\s+macprovider_\w+\([^)]*\);/g, "");
}

describe("patchAddonContextSource()", () => {
  test("patchAddonContextSource() attaches a pool at context creation and on thread changes, and frees it", () => {
    const patched = patchAddonContextSource(source);
    expect(patched).toContain(PATCH_MARKER);
    expect(patched).toMatch(/llama_init_from_model\(context->model->model, context->context_params\);\n\s+macprovider_attach_pool\(context->ctx, context->context_params\.n_threads\);/);
    expect(patched).toMatch(/macprovider_attach_pool\(ctx, resolvedThreads\);\n\s+llama_set_n_threads\(ctx, resolvedThreads, resolvedThreads\);/);
    expect(patched).toMatch(/llama_free\(currentCtx\);\n\s+macprovider_free_pool\(currentCtx\);/);
    // Everything else is untouched.
    expect(stripPatch(patched)).toBe(source);
  });

  test("patchAddonContextSource() decodes inline only on decodeBatch(true), else as the worker job", () => {
    const patched = patchAddonContextSource(source);
    const decodeBatch = patched.slice(patched.indexOf("Napi::Value AddonContext::DecodeBatch("), patched.indexOf("Napi::Value AddonContext::SampleToken("));
    const inline = decodeBatch.indexOf("if (macprovider_decode_inline(info, batch))");
    const worker = decodeBatch.indexOf("new AddonContextDecodeBatchWorker(");
    expect(inline).toBeGreaterThan(-1);
    expect(worker).toBeGreaterThan(inline);
    // The inline path reports the worker's own errors, so node-llama-cpp's handling is unchanged.
    expect(decodeBatch).toContain("could not find a KV slot for the batch");
    expect(decodeBatch).toContain("llama_synchronize(ctx);");
    // Only an explicit `true` first argument: node-llama-cpp's own call passes none.
    expect(patched).toMatch(/info\.Length\(\) > 0 && info\[0\]\.IsBoolean\(\) && info\[0\]\.As<Napi::Boolean>\(\)\.Value\(\)/);
  });

  test("patchAddonContextSource() samples inline only on sampleToken(…, true), with the job's own outcome handlers", () => {
    const patched = patchAddonContextSource(source);
    const sampleToken = patched.slice(patched.indexOf("Napi::Value AddonContext::SampleToken("));
    expect(sampleToken.indexOf("if (macprovider_sample_inline(info)) return worker->macproviderRunInline();")).toBeLessThan(sampleToken.indexOf("worker->Queue();"));
    // The fifth argument: the third and fourth switch the result's shape when they are booleans.
    expect(patched).toMatch(/info\.Length\(\) > 4 && info\[4\]\.IsBoolean\(\) && info\[4\]\.As<Napi::Boolean>\(\)\.Value\(\)/);
    // Inside the sampling worker: its Execute, then its OnOK or OnError with the error SetError recorded.
    const worker = patched.slice(patched.indexOf("class AddonContextSampleTokenWorker"), patched.indexOf("AddonContext::AddonContext("));
    expect(worker).toMatch(/Napi::Value macproviderRunInline\(\) \{\n\s+Execute\(\);[\s\S]*OnOK\(\);\n\s+else OnError\(Napi::Error::New\(Env\(\), macprovider_error\)\);/);
    expect(worker).toMatch(/void SetError\(const std::string& error\) \{\n\s+macprovider_error = error;/);
  });

  test("patchAddonContextSource() is idempotent", () => {
    const once = patchAddonContextSource(source);
    expect(patchAddonContextSource(once)).toBe(once);
  });

  test("patchAddonContextSource() refuses a source whose anchors moved", () => {
    expect(() => patchAddonContextSource(source.replace("llama_free(currentCtx);", "llama_free(ctx2);"))).toThrow(/expected exactly one "llama_free\(currentCtx\);"/);
  });
});
