import { describe, expect, test } from "bun:test";
import { findServeProcesses, isServeCommand, type ProcessInfo } from "../../lib/provider/find-serve-processes.ts";

describe("isServeCommand()", () => {
  test.each([
    [["/usr/local/bin/macprovider", "serve", "--config", "c.yaml"], true],
    [["macprovider", "serve"], true],
    [["/home/op/.bun/bin/bun", "/srv/macprovider/scripts/serve.ts", "--model", "m.gguf"], true],
    [["bun", "scripts/cli.ts", "serve"], true],
    [["/work/node_modules/bun/bin/bun.exe", "/work/scripts/serve.ts", "--port", "0"], true],
    [["/usr/local/bin/macprovider", "autotune"], false],
    [["/usr/local/bin/macprovider-cli-helper", "serve"], false],
    [["grep", "serve"], false],
    [["bun", "scripts/cli.ts", "runs"], false],
    [["bun", "/tmp/other/serve.ts"], false],
    [["node", "scripts/serve.ts"], false],
    [[], false],
  ])("isServeCommand(%p) is %p", (argv, expected) => {
    expect(isServeCommand(argv)).toBe(expected);
  });
});

describe("findServeProcesses()", () => {
  const p = (pid: number, ppid: number, ...argv: string[]): ProcessInfo => ({ pid, ppid, argv, cwd: "/" });
  const table = [
    p(1, 0, "init"),
    p(10, 1, "bash"),
    p(11, 10, "macprovider", "serve"), // the operator's provider
    p(20, 1, "macprovider", "autotune"), // us
    p(21, 20, "macprovider", "stage1"),
    p(22, 21, "macprovider", "serve", "--no-join"), // our own candidate
    p(30, 1, "grep", "serve"),
    p(31, 1, "macprovider-cli-helper", "serve"),
    p(40, 1, "sh"),
    p(41, 40, "bun", "/x/scripts/serve.ts", "--model", "m"), // another provider, under pid 40
  ];

  test("findServeProcesses() finds foreign providers, never itself, its candidates or look-alikes", () => {
    expect(findServeProcesses(table, 20).map((x) => x.pid)).toEqual([11, 41]);
  });

  test("findServeProcesses() never matches its own ancestors", () => {
    expect(findServeProcesses([...table, p(50, 11, "macprovider", "autotune")], 50).map((x) => x.pid)).toEqual([41]);
  });

  test("findServeProcesses() with a root looks only below it", () => {
    expect(findServeProcesses(table, 20, 40).map((x) => x.pid)).toEqual([41]);
  });
});
