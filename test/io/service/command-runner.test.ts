import { describe, expect, test } from "bun:test";
import { createCommandRunner, describeCommandFailure } from "../../../lib/host/io/command-runner.ts";

describe("createCommandRunner()", () => {
  const runner = createCommandRunner({ timeoutMs: 2000 });

  test("run() returns the exit status and both outputs of a real command", async () => {
    expect(await runner.run(["sh", "-c", "echo out; echo err >&2; exit 3"])).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  test("run() answers 127 for a program that does not exist, without throwing", async () => {
    expect(await runner.run(["macprovider-no-such-program", "x"])).toEqual({ code: 127, stdout: "", stderr: "macprovider-no-such-program: command not found" });
    expect((await runner.run(["/etc/passwd"])).code).toBe(126);
  });

  test("run() passes the given environment", async () => {
    const withEnv = createCommandRunner({ env: { PATH: process.env.PATH, MARK: "seen" } });
    expect((await withEnv.run(["sh", "-c", "echo $MARK"])).stdout).toBe("seen\n");
  });

  test("run() kills a command past the timeout and answers 124", async () => {
    const quick = createCommandRunner({ timeoutMs: 200 });
    const started = performance.now();
    const result = await quick.run(["sleep", "10"]);
    expect(result.code).toBe(124);
    expect(result.stderr).toContain("sleep: timed out after 200 ms");
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("run() reports a command killed by a signal as 128 + the signal", async () => {
    expect((await runner.run(["sh", "-c", "kill -TERM $$"])).code).toBe(143);
  });

  test("describeCommandFailure() names the command, its status and the first line it printed", () => {
    expect(describeCommandFailure(["systemctl", "--user", "show"], { code: 1, stdout: "", stderr: "Failed to connect to bus: No medium found\nmore\n" })).toBe("`systemctl --user show` exited 1: Failed to connect to bus: No medium found");
    expect(describeCommandFailure(["x"], { code: 2, stdout: "", stderr: "" })).toBe("`x` exited 2");
  });
});
