import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ApplyError } from "../../../lib/apply/apply-error.ts";
import { applyRecipe, type ApplyOptions } from "../../../lib/apply/io/apply-recipe.ts";
import { tempDir } from "../../helpers/fixtures.ts";
import { nonOwnedLines, recipe, RICH_CONFIG } from "../../standalone/apply/config-texts.ts";

const NOW = new Date("2025-03-04T05:06:07Z");
const STAMP = "20250304T050607Z";

/** Apply with serve's check replaced by `checkServes` (the real check is in test/model/apply). */
function apply(configFile: string, over: Partial<ApplyOptions> = {}) {
  return applyRecipe({ configFile, recommendation: recipe("/m/x.gguf"), env: {}, cwd: "/", now: () => NOW, checkServes: async () => {}, ...over });
}

function configIn(dir: string, text = RICH_CONFIG): string {
  const path = join(dir, "config.yaml");
  writeFileSync(path, text);
  return path;
}

async function expectApplyError(work: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApplyError);
  expect((error as ApplyError).exitCode).toBe(7);
  expect((error as ApplyError).message).toMatch(message);
  expect((error as ApplyError).message).not.toContain("\n");
}

describe("applyRecipe()", () => {
  test("applyRecipe() backs the original up byte for byte and replaces it, leaving no temp file", async () => {
    const dir = tempDir();
    const config = configIn(dir);
    const result = await apply(config);
    expect(result).toEqual({
      config, backup: `${config}.bak-${STAMP}-1`,
      written_keys: ["model", "max_context_override", "max_concurrency_override", "threads", "flash_attention", "engine"], removed_keys: ["kv_bits"],
    });
    expect(readFileSync(result.backup!, "utf8")).toBe(RICH_CONFIG);
    expect(nonOwnedLines(readFileSync(config, "utf8"))).toEqual(nonOwnedLines(RICH_CONFIG));
    expect(readdirSync(dir).sort()).toEqual(["config.yaml", `config.yaml.bak-${STAMP}-1`]);
  });

  test("applyRecipe() counts n up when the backup name is taken, overwriting nothing", async () => {
    const dir = tempDir();
    const config = configIn(dir);
    writeFileSync(`${config}.bak-${STAMP}-1`, "older backup 1");
    writeFileSync(`${config}.bak-${STAMP}-2`, "older backup 2");
    const result = await apply(config);
    expect(result.backup).toBe(`${config}.bak-${STAMP}-3`);
    expect(readFileSync(`${config}.bak-${STAMP}-1`, "utf8")).toBe("older backup 1");
    expect(readFileSync(`${config}.bak-${STAMP}-2`, "utf8")).toBe("older backup 2");
    expect(readFileSync(result.backup!, "utf8")).toBe(RICH_CONFIG);
    const second = await apply(config); // the same second again: the next free n
    expect(second.backup).toBe(`${config}.bak-${STAMP}-4`);
  });

  const injected: [string, Partial<ApplyOptions>, RegExp][] = [
    ["serve's check refusing the new file", { checkServes: async (file) => { throw new Error(`kv_bits in ${file} has invalid value`); } }, /^apply: the new .*config\.yaml would not serve: kv_bits in .*\/config\.yaml has invalid value; it is unchanged$/],
    ["the rename failing", { rename: () => { throw Object.assign(new Error("EXDEV: cross-device link"), { code: "EXDEV", syscall: "rename" }); } }, /^apply: cannot replace .*config\.yaml: EXDEV \(rename\); it is unchanged$/],
  ];
  test.each(injected)("applyRecipe() leaves the original intact on %s between backup and rename (exit 7)", async (_, over, message) => {
    const dir = tempDir();
    const config = configIn(dir);
    let sawBackup = false;
    const checkServes = over.checkServes;
    await expectApplyError(apply(config, {
      ...over,
      checkServes: async (file) => {
        sawBackup = readdirSync(dir).some((name) => name.includes(".bak-"));
        await checkServes?.(file);
      },
    }), message);
    expect(sawBackup).toBe(true);
    expect(readFileSync(config, "utf8")).toBe(RICH_CONFIG);
    expect(readdirSync(dir)).toEqual(["config.yaml"]); // no temp file, no backup left
  });

  test("applyRecipe() creates a missing config file and its folders, with no backup", async () => {
    const config = join(tempDir(), "new", "macprovider", "config.yaml");
    const result = await apply(config);
    expect(result.backup).toBeNull();
    expect(readFileSync(config, "utf8")).toBe("model: /m/x.gguf\nmax_context_override: 1024\nmax_concurrency_override: 2\nthreads: 2\nflash_attention: off\nengine: prebuilt\n");
  });

  test("applyRecipe() keeps the original's mode and writes through a symlink to its target", async () => {
    const dir = tempDir();
    const real = join(dir, "dotfiles", "config.yaml");
    mkdirSync(join(dir, "dotfiles"));
    writeFileSync(real, "port: 1\n", { mode: 0o600 });
    chmodSync(real, 0o600);
    symlinkSync(real, join(dir, "config.yaml"));
    const result = await apply(join(dir, "config.yaml"));
    expect(result.config).toBe(real);
    expect(statSync(join(dir, "config.yaml"), { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(readFileSync(join(dir, "config.yaml"), "utf8")).toStartWith("port: 1\nmodel: /m/x.gguf\n");
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(statSync(result.backup!).mode & 0o777).toBe(0o600);
  });

  test("applyRecipe() fails with one line when the config's folder is a file (a write that fails even as root)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "not-a-folder"), "x");
    await expectApplyError(apply(join(dir, "not-a-folder", "config.yaml")), /^apply: cannot read config file .*not-a-folder\/config\.yaml: ENOTDIR; it is unchanged$/);
    await expectApplyError(apply(join(dir, "not-a-folder", "sub", "config.yaml")), /^apply: cannot (read config file|create the folder of) .*ENOTDIR/);
    expect(readFileSync(join(dir, "not-a-folder"), "utf8")).toBe("x");
  });

  test("applyRecipe() refuses malformed YAML before writing anything", async () => {
    const dir = tempDir();
    const config = configIn(dir, "port: [1\n");
    await expectApplyError(apply(config), /^apply: config file .*config\.yaml is not valid YAML at line \d+, column \d+: .*; it is unchanged$/);
    expect(readdirSync(dir)).toEqual(["config.yaml"]);
  });
});
