/** `bun scripts/apply.ts` as a real subprocess: isolated HOME, fake launchctl/systemctl first on PATH. */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { fakeManagers, type FakeManagers } from "../../io/service/fake-managers.ts";
import { recipe, RICH_CONFIG } from "../../standalone/apply/config-texts.ts";

const SHOW = "--user show macprovider.service";

async function runApply(args: string[], stdin: string, managers: FakeManagers, extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/apply.ts"), ...args], {
    cwd: tempDir(), env: managers.env(isolatedEnv(extraEnv)), stdin: new Blob([stdin]), stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

const stage2 = (rec: object | null, exitReason = "completed") => JSON.stringify({ stage: "stage2", exit_reason: exitReason, recommendation: rec && { model: "fx-1m", ...rec } });

describe("scripts/apply.ts", () => {
  test("apply reads stage2 on stdin, writes the config and prints the systemd restart hint when the unit is loaded", async () => {
    const model = (await testFixture("fx-1m")).path;
    const dir = tempDir();
    const config = join(dir, "config.yaml");
    writeFileSync(config, RICH_CONFIG);
    const managers = fakeManagers({ systemctl: [{ match: SHOW, stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=77\n" }] });
    const { stdout, stderr, code } = await runApply(["--config", config], stage2(recipe(model)), managers);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toEqual({
      config, backup: expect.stringMatching(/config\.yaml\.bak-\d{8}T\d{6}Z-1$/),
      written_keys: ["model", "max_context_override", "max_concurrency_override", "threads", "flash_attention", "engine"], removed_keys: ["kv_bits"],
      restart_hint: "restart the systemd user unit: systemctl --user restart macprovider.service",
    });
    expect(readFileSync(out.backup, "utf8")).toBe(RICH_CONFIG);
    expect(readFileSync(config, "utf8")).toContain(`model: "${model}"   # previous pick`);
    expect(managers.calls()).toEqual([`systemctl ${SHOW} --property=LoadState,ActiveState,SubState,MainPID,UnitFileState`]); // asked, never restarted
    expect(stderr).toContain("systemctl --user restart macprovider.service");
  });

  test("apply --in creates MACPROVIDER_CONFIG when missing and hints a foreground restart when no service is installed", async () => {
    const model = (await testFixture("fx-1m")).path;
    const config = join(tempDir(), "conf", "config.yaml");
    const docFile = join(tempDir(), "stage2.json");
    writeFileSync(docFile, stage2(recipe(model)));
    const managers = fakeManagers({ systemctl: [{ match: SHOW, stdout: "LoadState=not-found\n" }] });
    const { stdout, code } = await runApply(["--in", docFile], "", managers, { MACPROVIDER_CONFIG: config });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ config, backup: null, restart_hint: "stop the running `macprovider serve` (Ctrl-C) and start it again: macprovider serve" });
    expect(readFileSync(config, "utf8")).toStartWith(`model: ${model}\n`);
  });

  test("apply exits 7 with one line when the recipe's model does not exist, the config intact", async () => {
    const dir = tempDir();
    const config = join(dir, "config.yaml");
    writeFileSync(config, RICH_CONFIG);
    const managers = fakeManagers();
    const { stdout, stderr, code } = await runApply(["--config", config], stage2(recipe(join(dir, "gone.gguf"))), managers);
    expect(code).toBe(7);
    expect(stdout).toBe("");
    expect(stderr).toContain(`apply: the new ${config} would not serve: model in ${config}: model file ${join(dir, "gone.gguf")} does not exist; it is unchanged\n`);
    expect(stderr).not.toContain("    at ");
    expect(readFileSync(config, "utf8")).toBe(RICH_CONFIG);
    expect(readdirSync(dir)).toEqual(["config.yaml"]);
    expect(managers.calls()).toEqual([]);
  });

  test("apply passes an upstream exit reason on when there is no recommendation, touching nothing", async () => {
    const dir = tempDir();
    const config = join(dir, "config.yaml");
    writeFileSync(config, "port: 1\n");
    const { stdout, stderr, code } = await runApply(["--config", config], stage2(null, "stage2_no_feasible_cell"), fakeManagers());
    expect(code).toBe(4);
    expect(stdout).toBe("");
    expect(stderr).toContain("apply: the stage2 document has no recommendation (exit_reason stage2_no_feasible_cell); nothing to apply, the config is unchanged");
    expect(readdirSync(dir)).toEqual(["config.yaml"]);
  });

  test("apply exits 64 on input that is not a stage2 document, and 7 on one that says completed without a recommendation", async () => {
    const config = join(tempDir(), "config.yaml");
    const notStage2 = await runApply(["--config", config], JSON.stringify({ stage: "stage1" }), fakeManagers());
    expect(notStage2.code).toBe(64);
    expect(notStage2.stderr).toContain('apply: the input is not a stage2 document: "stage" is "stage1", expected "stage2"');
    const empty = await runApply(["--config", config], stage2(null), fakeManagers());
    expect(empty.code).toBe(7);
  });
});
