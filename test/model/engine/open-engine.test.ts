import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { hasLocalBuild, hostLocalBuildOptions } from "../../../lib/engine/io/local-builds.ts";
import { REPO_ROOT, testFixture } from "../../helpers/fixtures.ts";
import { spawnServe, startServe } from "../../helpers/serve-process.ts";

// CI has no local build (it is never built there); a developer machine may. Each test asserts what
// must hold in either case.
const localExists = hasLocalBuild(hostLocalBuildOptions());
const capacity = async (url: string): Promise<any> => (await fetch(`${url}/v1/capacity`)).json();

describe("the engine knob", () => {
  test("--engine prebuilt serves on the prebuilt binary even when a local build exists", async () => {
    const s = await startServe(["--model", (await testFixture("fx-1m")).path, "--threads", "1", "--max-context", "512", "--engine", "prebuilt"]);
    try {
      expect(await capacity(s.url)).toMatchObject({ engine: "prebuilt", engine_build: "prebuilt" });
    } finally {
      await s.stop();
    }
  });

  // Only one of these two can run on a given machine; the other shows as skipped, not passed.
  test.skipIf(!localExists)("--engine local serves on the local build", async () => {
    const s = await startServe(["--model", (await testFixture("fx-1m")).path, "--threads", "1", "--max-context", "512", "--engine", "local"]);
    try {
      expect(await capacity(s.url)).toMatchObject({ engine: "local", engine_build: "local" });
    } finally {
      await s.stop();
    }
  });

  test.skipIf(localExists)("--engine local without a local build exits 78 naming the knob", async () => {
    const proc = spawnServe(["--model", (await testFixture("fx-1m")).path, "--max-context", "512", "--engine", "local", "--port", "0"]);
    expect(await proc.exited).toBe(78);
    expect(await new Response(proc.stderr).text()).toContain("--engine (CLI): engine local: no local llama.cpp build exists; run `macprovider engine build` first");
  });

  test("engine status reports the build serve would use", async () => {
    const proc = Bun.spawn([process.execPath, join(REPO_ROOT, "scripts/cli.ts"), "engine", "status"], { stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(0);
    const status = JSON.parse(await new Response(proc.stdout).text());
    expect(status.serve_would_use.build).toBe(localExists ? "local" : "prebuilt");
    expect(status.serve_would_use.system_info).toContain("CPU");
    expect(status.local_build_cmake_options).toEqual(hostLocalBuildOptions());
    expect(status.prebuilt_packages).toContain(`${process.platform}-${process.arch}`);
  });
});

describe("the flash-attention knob", () => {
  test.each([
    [["--flash-attention", "on"], { flash_attention: "on", flash_attention_effective: true, kv_bits: null }],
    [["--flash-attention", "off"], { flash_attention: "off", flash_attention_effective: false, kv_bits: null }],
    [["--flash-attention", "off", "--kv-bits", "4"], { flash_attention: "off", flash_attention_effective: true, kv_bits: 4 }],
  ])("serve %p reports %o in /v1/capacity", async (extra, expected) => {
    const s = await startServe(["--model", (await testFixture("fx-1m")).path, "--threads", "1", "--max-context", "512", ...extra]);
    try {
      expect(await capacity(s.url)).toMatchObject(expected);
    } finally {
      await s.stop();
    }
  });
});
