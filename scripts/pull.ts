/**
 * `bun scripts/pull.ts REF` (`macprovider pull REF`, MOD-1): downloads one model into the models folder
 * through node-llama-cpp (hf:owner/repo:QUANT, hf:owner/repo/file.gguf or an http(s) URL), or checks a
 * local GGUF or generates a fixture:NAME; prints {ref, path, source, bytes, architecture, sha256}.
 * Exit 5 when the file fails the integrity check, 75 when the download failed and may be retried.
 */
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { asUsage } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { fixturesDir, modelsDir } from "../lib/host/io/paths.ts";
import { downloadBar } from "../lib/tune/io/download-bar.ts";
import { parseModelRef } from "../lib/tune/model-ref.ts";
import { pullModel } from "../lib/tune/io/pull-model.ts";

export const pullCommand = defineCommand({
  meta: { name: "pull", description: "Download a model into the models folder (or check a local one) and run the integrity check; prints JSON." },
  args: {
    ref: { type: "positional", required: true, description: "hf:owner/repo:QUANT, hf:owner/repo/file.gguf, an http(s) URL of a .gguf, a local path, or fixture:NAME." },
    "models-dir": { type: "string", description: "Where downloads go and are reused from. Env MACPROVIDER_MODELS_DIR. Defaults to $XDG_DATA_HOME/macprovider/models." },
    sha256: { type: "string", description: "Expected SHA-256 (64 hex digits); a mismatch is an integrity failure and a fresh download is discarded. Defaults to no check." },
    bytes: { type: "string", description: "Expected file size in bytes; checked like --sha256. Defaults to no check." },
    "stall-timeout-ms": { type: "string", valueHint: "MS", description: "Give up on a download after this long without new bytes. Defaults to 60000." },
    verbose: { type: "boolean", description: "Show stacks of failures." },
  },
  async run({ args }) {
    const sha256 = args.sha256 === undefined ? undefined : asUsage(() => parseSha256(args.sha256!));
    const bytes = args.bytes === undefined ? undefined : asUsage(() => parseIntegerOption("--bytes", args.bytes!, 1));
    const stallMs = asUsage(() => parseIntegerOption("--stall-timeout-ms", args["stall-timeout-ms"] ?? "60000", 100));
    const cwd = process.cwd();
    const bar = downloadBar();
    logger.start(`pull ${args.ref}`);
    const ref = asUsage(() => parseModelRef(args.ref, cwd));
    const result = await pullModel(ref, {
      modelsDir: resolve(cwd, args["models-dir"] ?? modelsDir()), fixturesDir: fixturesDir(), stallMs, sha256, bytes,
      onProgress: (p) => bar.update(args.ref, p),
    }).finally(() => bar.done());
    logger.success(`${result.source} ${result.path} (${result.bytes.toLocaleString("en")} bytes)`);
    await Bun.write(Bun.stdout, JSON.stringify(result, null, 2) + "\n");
  },
});

function parseSha256(raw: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new Error(`--sha256 must be 64 hex digits, got ${JSON.stringify(raw)}`);
  return raw.toLowerCase();
}

if (import.meta.main) {
  await runScript(pullCommand);
  // node-llama-cpp's downloader may still be retrying a download we gave up on: do not wait for it.
  process.exit(process.exitCode ?? 0);
}
