/**
 * A config in a read-only folder (0555). Tests run as root here, and root writes through 0555, so
 * as root the script runs as `nobody` (setpriv) for the folder to really refuse the write.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, chownSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempDir } from "../../helpers/fixtures.ts";
import { isolatedEnv } from "../../helpers/serve-process.ts";
import { recipe, RICH_CONFIG } from "../../standalone/apply/config-texts.ts";

const isRoot = process.getuid?.() === 0;
const setpriv = Bun.which("setpriv");
const NOBODY = 65534;

describe("scripts/apply.ts in a read-only folder", () => {
  test.skipIf(isRoot && !setpriv)("apply fails with one line and exit 7, the original intact, nothing written (as nobody when root)", async () => {
    const dir = tempDir();
    const config = join(dir, "config.yaml");
    writeFileSync(config, RICH_CONFIG);
    const doc = join(tempDir(), "stage2.json");
    writeFileSync(doc, JSON.stringify({ stage: "stage2", exit_reason: "completed", recommendation: { model: "m", ...recipe("/m/x.gguf") } }));
    chmodSync(doc, 0o644);
    chmodSync(join(doc, ".."), 0o755);
    chmodSync(dir, 0o555);
    const env = isolatedEnv();
    if (isRoot) chownSync(env.HOME!, NOBODY, NOBODY);
    const asUser = isRoot ? [setpriv!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"] : [];
    try {
      const proc = Bun.spawn([...asUser, process.execPath, join(REPO_ROOT, "scripts/apply.ts"), "--in", doc, "--config", config], { cwd: "/", env, stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      expect(code).toBe(7);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/apply: cannot back up .*config\.yaml: EACCES \(open .*\); it is unchanged\n$/);
      expect(stderr).not.toContain("    at ");
      expect(readFileSync(config, "utf8")).toBe(RICH_CONFIG);
      expect(readdirSync(dir)).toEqual(["config.yaml"]);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
