/**
 * `bun scripts/demo.ts`: the main job on the built-in fixture catalog, offline. Builds the small
 * synthetic models, starts `serve` on the largest as a real subprocess, streams one chat completion
 * over HTTP and shuts the provider down.
 */
import { defineCommand } from "citty";
import { asUsage, CliError, withFsErrors } from "../lib/cli/cli-error.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { makeFixtures } from "../lib/fixtures/io/make-fixtures.ts";
import { parseFixtureNames } from "../lib/fixtures/parse-fixture-names.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { probeCompletion } from "../lib/probe/io/probe-completion.ts";
import { startServeProcess } from "../lib/serve/io/start-serve-process.ts";
import { runScript } from "../lib/cli/io/run-script.ts";

export const demoCommand = defineCommand({
  meta: { name: "demo", description: "Build the fixture catalog, serve its largest model and stream one chat completion (offline)." },
  args: {
    sizes: { type: "string", description: "Fixtures to build. Defaults to fx-1m,fx-8m,fx-30m,fx-80m.", default: "fx-1m,fx-8m,fx-30m,fx-80m" },
    threads: { type: "string", description: "CPU threads for serve. Defaults to 1.", default: "1" },
    tokens: { type: "string", description: "Tokens to generate. Defaults to 64.", default: "64" },
  },
  async run({ args }) {
    const specs = asUsage(() => parseFixtureNames(args.sizes));
    const threads = asUsage(() => parseIntegerOption("--threads", args.threads, 1, 1024));
    const tokens = asUsage(() => parseIntegerOption("--tokens", args.tokens, 1));
    const { catalog, models } = await withFsErrors("demo: cannot write the fixtures", () => makeFixtures(fixturesDir(), specs));
    logger.info(`fixture catalog: ${catalog}`);
    const chosen = models[0]!;
    const serve = await startServeProcess(["--model", chosen.path, "--threads", String(threads), "--max-context", "4096"]);
    const url = serve.url;
    try {
      const probe = await probeCompletion(`${url}/v1/chat/completions`, {
        model: chosen.name, messages: [{ role: "user", content: "Tell me a story." }], max_tokens: tokens, ignore_eos: true,
      });
      if (!probe.ok) throw new CliError(`demo: the completion failed: ${probe.error}`, 70);
      process.stdout.write(JSON.stringify({
        model: chosen.name, url, completion_tokens: probe.completionTokens, ttft_ms: Math.round(probe.ttftMs!),
        decode_tokens_per_s: Math.round(probe.decodeTokensPerSecond ?? 0), text: probe.text,
      }, null, 2) + "\n");
    } finally {
      await serve.stop();
      process.stderr.write(serve.stderr());
    }
  },
});

if (import.meta.main) await runScript(demoCommand);
