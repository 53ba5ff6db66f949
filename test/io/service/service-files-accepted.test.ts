/**
 * The generated files read back by the managers' own conventions, with independent readers where
 * the host has them: Python's plistlib (Apple's plist format) and `systemd-analyze verify` (the
 * unit parser, offline: it asks no running manager).
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchdPlist } from "../../../lib/service/launchd-plist.ts";
import { systemdUnit } from "../../../lib/service/systemd-unit.ts";
import { tempDir } from "../../helpers/fixtures.ts";

const python = Bun.which("python3");
const analyze = Bun.which("systemd-analyze");
const ODD = ["/Users/R&D <team>/it's \"here\"/config.yaml", "100%", "$HOME", "back\\slash", ";"];

async function run(argv: string[]) {
  const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("generated service files", () => {
  test.skipIf(!python)("launchdPlist() reads back through plistlib with every argument intact (skipped without python3)", async () => {
    const file = join(tempDir(), "x.plist");
    writeFileSync(file, launchdPlist({ programArguments: ["/Applications/Mac Provider/macprovider", "serve", "--config", ...ODD], logDir: "/Users/R&D <team>/Library/Logs/macprovider" }));
    const { stdout, code, stderr } = await run([python!, "-c", "import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],'rb'))))", file]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      Label: "live.streamvc.macprovider",
      ProgramArguments: ["/Applications/Mac Provider/macprovider", "serve", "--config", ...ODD],
      RunAtLoad: true, KeepAlive: true,
      StandardOutPath: "/Users/R&D <team>/Library/Logs/macprovider/macprovider.out.log",
      StandardErrorPath: "/Users/R&D <team>/Library/Logs/macprovider/macprovider.err.log",
    });
  });

  test.skipIf(!analyze)("systemdUnit() passes systemd-analyze verify with a program path that has a space (skipped without systemd)", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "mac provider"));
    const program = join(dir, "mac provider", "macprovider");
    copyFileSync("/bin/true", program);
    chmodSync(program, 0o755);
    const unit = join(dir, "macprovider.service");
    writeFileSync(unit, systemdUnit({ execStart: [program, "serve", "--config", ...ODD] }));
    const { code, stderr } = await run([analyze!, "verify", unit]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
