/**
 * CON-1/2 for real: a foreground `serve` is running when autotune starts. Detection is limited to this
 * test's own processes (MACPROVIDER_PROCESS_ROOT) and systemctl/launchctl are stand-ins on PATH, so
 * nothing of the host is touched.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openRunStore } from "../../../lib/store/io/open-run-store.ts";
import { REPO_ROOT, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, startServe, type ServeProcess } from "../../helpers/serve-process.ts";

const LONG = 120_000;
const ONE_CELL = ["--kv-bits-axis", "none", "--max-batch-axis", "1", "--threads-axis", "1", "--flash-attention-axis", "on", "--max-tokens", "8", "--stage2-replicates", "1"];
let work: string;
let catalog: string;
let provider: string; // a copy of fx-1m whose path marks the provider's command line
const lookAlikes: ReturnType<typeof Bun.spawn>[] = [];

beforeAll(async () => {
  work = tempDir("macprovider-con-");
  const fx = await testFixture("fx-1m");
  provider = join(work, "operator-provider.gguf");
  copyFileSync(fx.path, provider);
  catalog = join(work, "catalog.yaml");
  writeFileSync(catalog, `candidates:\n  - { name: fx-1m, model: ${fx.path}, size_b: 0.001 }\n`);
  // Stand-in service managers: nothing installed, every call logged.
  const bin = join(work, "bin");
  mkdirSync(bin);
  for (const tool of ["systemctl", "launchctl"]) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${join(work, "managers.log")}\necho inactive\nexit 3\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const helper = join(bin, "macprovider-cli-helper");
  writeFileSync(helper, "#!/bin/sh\nexec sleep 300\n");
  chmodSync(helper, 0o755);
  lookAlikes.push(Bun.spawn([helper, "serve"]), Bun.spawn(["bash", "-c", "exec -a 'grep' sleep 300", "serve"]));
});

afterAll(() => {
  for (const p of lookAlikes) p.kill("SIGKILL");
  for (const pid of providerPids()) process.kill(pid, "SIGKILL");
});

/** Live processes whose command line names the operator's provider model. */
function providerPids(): number[] {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(provider) ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

function autotuneEnv(): Record<string, string> {
  const env = isolatedEnv({ MACPROVIDER_PROCESS_ROOT: String(process.pid) });
  return { ...env, PATH: `${join(work, "bin")}:${env.PATH}` };
}

async function autotune(args: string[]) {
  const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), "autotune", "--catalog", catalog, "--target-context", "1024", "--threads", "1", ...ONE_CELL, "--json", ...args], { env: autotuneEnv(), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr, doc: JSON.parse(stdout) };
}

describe("autotune and a provider already running", () => {
  let serve: ServeProcess;
  beforeAll(async () => {
    serve = await startServe(["--model", provider, "--threads", "1", "--max-context", "512"]);
  });

  test("--no-drain refuses with provider_conflict (exit 6), records it, and leaves the provider serving", async () => {
    const db = join(work, "no-drain.db");
    const { code, doc } = await autotune(["--no-drain", "--db", db]);
    expect(code).toBe(6);
    expect(doc.exit_reason).toBe("provider_conflict");
    expect(doc.message).toContain(`the foreground provider pid ${serve.proc.pid}`);
    expect((await fetch(`${serve.url}/health`)).status).toBe(200);
    const store = openRunStore(db);
    expect(store.getRun(doc.run_id)?.run.exit_reason).toBe("provider_conflict");
    store.close();
  }, LONG);

  test("autotune drains the foreground provider, restarts it with --restart-foreground, and leaves look-alikes alone", async () => {
    const { code, stderr, doc } = await autotune(["--restart-foreground", "--db", join(work, "drain.db")]);
    expect(code).toBe(0);
    expect(doc.exit_reason).toBe("completed");
    expect(await serve.proc.exited).toBe(0); // SIGTERM: a clean drain, not a kill
    expect(stderr).toContain(`draining the foreground provider pid ${serve.proc.pid}`);
    expect(stderr).toContain("restarted the foreground provider");
    const restarted = providerPids().filter((pid) => pid !== serve.proc.pid);
    expect(restarted.length).toBeGreaterThan(0);
    for (const p of lookAlikes) expect(p.exitCode).toBeNull();
    expect(readFileSync(join(work, "managers.log"), "utf8")).toContain("systemctl --user is-active macprovider.service");
  }, LONG);
});
