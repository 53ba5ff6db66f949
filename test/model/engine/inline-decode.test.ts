/**
 * With MACPROVIDER_INLINE_DECODE_TOKENS set, the local build's addon patch
 * (lib/engine/addon-context-patch.ts) runs a decode step — at most one token per sequence for -1 — on
 * the JS thread, and anything larger on node-llama-cpp's worker job; unset, every decode is a job. Only
 * where `engine build` made the patched build on this machine: CI has no local build (the build
 * takes longer than CI's whole run), and the prebuilt binary keeps the worker for every decode.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { hasLocalBuild, hostLocalBuildOptions } from "../../../lib/engine/io/local-builds.ts";
import { REPO_ROOT, testFixture } from "../../helpers/fixtures.ts";

const patched = hasLocalBuild(hostLocalBuildOptions(), false);

/**
 * For each case, whether a setImmediate queued before a decodeBatch ran before its promise settled
 * (a worker job lets the event loop turn; an inline decode has settled when it returns). In a child
 * process: the addon reads the variable with getenv, which Bun's process.env writes do not reach.
 * Sequence s gets cases[i][s] tokens from position 0, straight on node-llama-cpp's private `_ctx`.
 */
async function loopTurned(inlineLimit: string | undefined, cases: number[][]): Promise<boolean[]> {
  const code = `
    import { loadEngineModel, openEngine } from "${join(REPO_ROOT, "lib/engine/io/open-engine.ts")}";
    import { contextOptionsFromKnobs } from "${join(REPO_ROOT, "lib/engine/engine-knobs.ts")}";
    const model = await loadEngineModel(await openEngine({ engine: "local" }), process.argv[1]);
    const context = await model.createContext(contextOptionsFromKnobs({ kvBits: null, maxContext: 256, maxBatch: 2, threads: 1, flashAttention: "off" }));
    const addon = context._ctx;
    const out = [];
    for (const tokens of ${JSON.stringify(cases)}) {
      tokens.forEach((_, seq) => addon.removeTokenCellsFromSequence(seq, 0, -1));
      addon.initBatch(tokens.reduce((a, b) => a + b, 0));
      tokens.forEach((n, seq) => addon.addToBatch(seq, 0, Uint32Array.from({ length: n }, (_, i) => 100 + i), Uint32Array.of(n - 1)));
      let turned = false;
      setImmediate(() => (turned = true));
      await addon.decodeBatch();
      out.push(turned);
    }
    console.log(JSON.stringify(out));
    process.exit(0);`;
  return JSON.parse(await child(code, inlineLimit));
}

async function child(code: string, inlineLimit: string | undefined): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env, MACPROVIDER_INLINE_DECODE_TOKENS: inlineLimit };
  if (inlineLimit === undefined) delete env.MACPROVIDER_INLINE_DECODE_TOKENS;
  const proc = Bun.spawn([process.execPath, "-e", code, (await testFixture("fx-8m")).path], { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exit] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (exit !== 0) throw new Error(`child exited ${exit}: ${stderr}`);
  return stdout.trim().split("\n").at(-1)!;
}

const CASES = [[1, 1], [1], [3], [2, 2]]; // a step of two sequences, of one, a prompt chunk, two tokens each

describe.skipIf(!patched)("the local build's decodeBatch()", () => {
  test.each([
    { limit: "-1", inline: [true, true, false, false] },
    { limit: "3", inline: [true, true, true, false] },
    { limit: "0", inline: [false, false, false, false] },
    { limit: undefined, inline: [false, false, false, false] },
  ])("decodeBatch() with MACPROVIDER_INLINE_DECODE_TOKENS=$limit runs inline exactly the batches within the limit", async ({ limit, inline }) => {
    expect(await loopTurned(limit, CASES)).toEqual(inline.map((i) => !i));
  });
});

/** Greedy tokens of fx-8m from a child process, with the given inline limit. */
async function greedyTokens(inlineLimit: string | undefined): Promise<number[]> {
  const code = `
    import { createEngineContext, loadEngineModel, openEngine } from "${join(REPO_ROOT, "lib/engine/io/open-engine.ts")}";
    import { generateTokens } from "${join(REPO_ROOT, "lib/engine/io/generate-tokens.ts")}";
    const model = await loadEngineModel(await openEngine({ engine: "local" }), process.argv[1]);
    const context = await createEngineContext(model, { kvBits: null, maxContext: 256, maxBatch: 2, threads: 1, flashAttention: "off" });
    const prompt = [model.tokens.bos, ...model.tokenize("the decode step runs where")];
    const out = [];
    for await (const c of generateTokens(context.getSequence(), prompt, { maxTokens: 32, ignoreEos: true, temperature: 0 })) if (c.token !== null) out.push(c.token);
    console.log(JSON.stringify(out));
    process.exit(0);`;
  return JSON.parse(await child(code, inlineLimit));
}

describe.skipIf(!patched)("generateTokens() on the local build", () => {
  test("generateTokens() gives the same greedy tokens with decode steps inline and on the worker pool", async () => {
    const inline = await greedyTokens("-1");
    const pool = await greedyTokens(undefined);
    expect(inline).toHaveLength(32);
    expect(inline).toEqual(pool);
  });
});
