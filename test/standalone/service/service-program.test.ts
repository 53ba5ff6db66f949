import { describe, expect, test } from "bun:test";
import { isCompiledBinary, serviceProgram } from "../../../lib/service/service-program.ts";

describe("serviceProgram()", () => {
  test("serviceProgram() runs the compiled binary itself when the entry module is embedded", () => {
    const facts = { execPath: "/usr/local/bin/macprovider", mainPath: "/$bunfs/root/macprovider", cliScript: "/$bunfs/scripts/cli.ts" };
    expect(serviceProgram(facts, "/home/ada/c.yaml")).toEqual(["/usr/local/bin/macprovider", "serve", "--config", "/home/ada/c.yaml"]);
  });

  test("serviceProgram() runs bun with the checkout's scripts/cli.ts otherwise", () => {
    const facts = { execPath: "/home/ada/.bun/bin/bun", mainPath: "/src/macprovider/scripts/service.ts", cliScript: "/src/macprovider/scripts/cli.ts" };
    expect(serviceProgram(facts, "/home/ada/c.yaml")).toEqual(["/home/ada/.bun/bin/bun", "/src/macprovider/scripts/cli.ts", "serve", "--config", "/home/ada/c.yaml"]);
  });

  test("serviceProgram() refuses a relative config path", () => {
    expect(() => serviceProgram({ execPath: "/b", mainPath: "/m", cliScript: "/c" }, "config.yaml")).toThrow('service: the config path "config.yaml" must be absolute');
  });

  test.each([["/$bunfs/root/macprovider", true], ["B:/~BUN/root/macprovider.exe", true], ["/work/scripts/cli.ts", false]])("isCompiledBinary(%p) is %p", (main, compiled) => {
    expect(isCompiledBinary(main)).toBe(compiled);
  });
});
