import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PATCH_MARKER, patchAddonContextSource } from "../../../lib/engine/addon-threadpool-patch.ts";
import { REPO_ROOT } from "../../helpers/fixtures.ts";

// The real source shipped with the pinned node-llama-cpp.
const source = readFileSync(join(REPO_ROOT, "node_modules/node-llama-cpp/llama/addon/AddonContext.cpp"), "utf8");

describe("patchAddonContextSource()", () => {
  test("patchAddonContextSource() attaches a pool at context creation and on thread changes, and frees it", () => {
    const patched = patchAddonContextSource(source);
    expect(patched).toContain(PATCH_MARKER);
    expect(patched).toMatch(/llama_init_from_model\(context->model->model, context->context_params\);\n\s+macprovider_attach_pool\(context->ctx, context->context_params\.n_threads\);/);
    expect(patched).toMatch(/macprovider_attach_pool\(ctx, resolvedThreads\);\n\s+llama_set_n_threads\(ctx, resolvedThreads, resolvedThreads\);/);
    expect(patched).toMatch(/llama_free\(currentCtx\);\n\s+macprovider_free_pool\(currentCtx\);/);
    // Everything else is untouched.
    expect(patched.replace(/\n\/\/ --- macprovider[\s\S]*?\/\/ --- end macprovider ---\n/, "").replace(/\n\s+macprovider_\w+\([^)]*\);/g, "")).toBe(source);
  });

  test("patchAddonContextSource() is idempotent", () => {
    const once = patchAddonContextSource(source);
    expect(patchAddonContextSource(once)).toBe(once);
  });

  test("patchAddonContextSource() refuses a source whose anchors moved", () => {
    expect(() => patchAddonContextSource(source.replace("llama_free(currentCtx);", "llama_free(ctx2);"))).toThrow(/expected exactly one "llama_free\(currentCtx\);"/);
  });
});
