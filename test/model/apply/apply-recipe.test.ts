/** apply with serve's real preflight: llama.cpp opened, the fixture model checked and its memory estimated. */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ApplyError } from "../../../lib/apply/apply-error.ts";
import { applyRecipe } from "../../../lib/apply/io/apply-recipe.ts";
import { resolveServeInputs } from "../../../lib/serve/io/prepare-serve.ts";
import { tempDir, testFixture } from "../../helpers/fixtures.ts";
import { nonOwnedLines, ownedLines, recipe, RICH_CONFIG } from "../../standalone/apply/config-texts.ts";

function configIn(dir: string, text = RICH_CONFIG): string {
  const path = join(dir, "config.yaml");
  writeFileSync(path, text);
  return path;
}

async function refused(work: Promise<unknown>): Promise<ApplyError> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApplyError);
  expect((error as ApplyError).exitCode).toBe(7);
  return error as ApplyError;
}

describe("applyRecipe() with serve's preflight", () => {
  test("applyRecipe() writes a recipe serve accepts into a rich config, every non-owned line byte for byte", async () => {
    const model = (await testFixture("fx-1m")).path;
    const dir = tempDir();
    const config = configIn(dir);
    // A knob variable in the environment must not decide the check: the file is what is proved.
    const result = await applyRecipe({ configFile: config, recommendation: recipe(model), env: { MACPROVIDER_KV_BITS: "7" }, cwd: "/" });
    const text = readFileSync(config, "utf8");
    expect(nonOwnedLines(text)).toEqual(nonOwnedLines(RICH_CONFIG));
    expect(ownedLines(text)).toEqual([
      `model: "${model}"   # previous pick`, "max_context_override: 1024", "threads: 2 # physical cores", "flash_attention: 'off'", "engine: prebuilt", "max_concurrency_override: 2",
    ]);
    expect(result.removed_keys).toEqual(["kv_bits"]);
    expect(readFileSync(result.backup!, "utf8")).toBe(RICH_CONFIG);
    const { config: resolved } = resolveServeInputs({ cli: {}, configFile: config, env: {}, cwd: "/" });
    expect(resolved.values).toMatchObject({ model, kvBits: null, maxContext: 1024, maxBatch: 2, threads: 2, flashAttention: "off", engine: "prebuilt", port: 8080, maxQueue: 64 });
  });

  test("applyRecipe() creates a missing config file that serve loads", async () => {
    const model = (await testFixture("fx-1m")).path;
    const config = join(tempDir(), "macprovider", "config.yaml");
    const result = await applyRecipe({ configFile: config, recommendation: recipe(model, { kv_bits: 8 }), env: {}, cwd: "/" });
    expect(result.backup).toBeNull();
    expect(readFileSync(config, "utf8")).toBe(`model: ${model}\nkv_bits: 8\nmax_context_override: 1024\nmax_concurrency_override: 2\nthreads: 2\nflash_attention: off\nengine: prebuilt\n`);
  });

  test("applyRecipe() refuses a recipe whose model does not exist: the plan fails between backup and rename (exit 7)", async () => {
    const dir = tempDir();
    const config = configIn(dir);
    const error = await refused(applyRecipe({ configFile: config, recommendation: recipe(join(dir, "gone.gguf")), env: {}, cwd: "/" }));
    expect(error.message).toBe(`apply: the new ${config} would not serve: model in ${config}: model file ${join(dir, "gone.gguf")} does not exist; it is unchanged`);
    expect(readFileSync(config, "utf8")).toBe(RICH_CONFIG);
    expect(readdirSync(dir)).toEqual(["config.yaml"]);
  });

  test("applyRecipe() refuses a context the model cannot serve, naming it", async () => {
    const model = (await testFixture("fx-1m")).path;
    const dir = tempDir();
    const config = configIn(dir, "port: 1\n");
    const error = await refused(applyRecipe({ configFile: config, recommendation: recipe(model, { max_context_override: 10_000_000 }), env: {}, cwd: "/" }));
    expect(error.message).toContain(`max_context_override in ${config}`);
    expect(readFileSync(config, "utf8")).toBe("port: 1\n");
    expect(readdirSync(dir)).toEqual(["config.yaml"]);
  });
});
