/**
 * `bun scripts/demo.ts`: the main job on the built-in fixture catalog, offline. Builds the small
 * synthetic models and serves one generation from the largest of them.
 */
import { defineCommand } from "citty";
import { createEngineContext, loadEngineModel, openEngine } from "../lib/engine.ts";
import { generateTokens } from "../lib/generate-tokens.ts";
import { logger } from "../lib/logger.ts";
import { makeFixtures, parseFixtureNames } from "../lib/make-fixtures.ts";
import { fixturesDir } from "../lib/paths.ts";
import { runScript } from "./_run.ts";

export const demoCommand = defineCommand({
  meta: { name: "demo", description: "Build the fixture catalog and generate once from its largest model (offline)." },
  args: {
    sizes: { type: "string", description: "Fixtures to build. Defaults to fx-1m,fx-8m,fx-30m,fx-80m.", default: "fx-1m,fx-8m,fx-30m,fx-80m" },
    threads: { type: "string", description: "CPU threads. Defaults to 1.", default: "1" },
    tokens: { type: "string", description: "Tokens to generate. Defaults to 64.", default: "64" },
  },
  async run({ args }) {
    const { catalog, models } = await makeFixtures(fixturesDir(), parseFixtureNames(args.sizes));
    logger.info(`fixture catalog: ${catalog}`);
    const chosen = models[0]!;
    const llama = await openEngine();
    const model = await loadEngineModel(llama, chosen.path);
    const ctx = await createEngineContext(model, { kvBits: null, maxContext: 2048, maxBatch: 1, threads: Number(args.threads), flashAttention: "off" });
    const gen = generateTokens(ctx.getSequence(), model.tokenize("Once upon a time"), { maxTokens: Number(args.tokens), ignoreEos: true });
    let step = await gen.next();
    let text = "";
    while (!step.done) {
      text += step.value.text;
      step = await gen.next();
    }
    const stats = step.value;
    process.stdout.write(JSON.stringify({ model: chosen.name, text, ...stats }, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(demoCommand);
