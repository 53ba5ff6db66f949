/**
 * `bun bench/grammar.ts`: what a JSON-schema grammar costs per token. Decode tok/s of the engine
 * adapter in-process on one fixture, without a grammar and under the grammars serve builds for
 * response_format (a long free string, the case where the grammar admits most of the vocabulary,
 * and a structured object), replicates interleaved, medians. JSON to bench/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import type { LlamaGrammar } from "node-llama-cpp";
import { asUsage } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { parseIntegerOption } from "../lib/cli/parse-integer-option.ts";
import { generateTokens } from "../lib/engine/io/generate-tokens.ts";
import { createEngineContext, describeEngine, loadEngineModel, openEngine } from "../lib/engine/io/open-engine.ts";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { detectMachine } from "../lib/host/io/detect-machine.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { requestGrammars } from "../lib/serve/io/request-grammars.ts";
import { grammarSchema } from "../lib/serve/structured/grammar-schema.ts";
import { median } from "./_shared.ts";

const SCHEMAS = {
  // Random weights rarely close a free string: most of the budget is spent inside it.
  free_string: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  object: {
    type: "object",
    properties: { name: { type: "string", maxLength: 12 }, age: { type: "integer" }, member: { type: "boolean" }, color: { enum: ["red", "green", "blue"] }, tags: { type: "array", items: { type: "string", maxLength: 6 }, maxItems: 3 } },
    required: ["name", "age", "member", "color", "tags"],
  },
} as const;
type Variant = "none" | keyof typeof SCHEMAS;

export const benchGrammar = defineCommand({
  meta: { name: "bench-grammar", description: "Decode tok/s with and without a JSON-schema grammar, in-process, interleaved." },
  args: {
    model: { type: "string", description: "Fixture name. Defaults to fx-80m.", default: "fx-80m" },
    threads: { type: "string", description: "CPU threads. Defaults to 1.", default: "1" },
    tokens: { type: "string", description: "Most tokens per generation. Defaults to 128.", default: "128" },
    replicates: { type: "string", description: "Replicates per variant. Defaults to 5.", default: "5" },
  },
  async run({ args }) {
    const threads = asUsage(() => parseIntegerOption("--threads", args.threads, 1, 1024));
    const tokens = asUsage(() => parseIntegerOption("--tokens", args.tokens, 8));
    const replicates = asUsage(() => parseIntegerOption("--replicates", args.replicates, 1));
    const fixture = await fixtureByName(fixturesDir(), args.model);
    const llama = await openEngine();
    const model = await loadEngineModel(llama, fixture.path);
    const ctx = await createEngineContext(model, { kvBits: null, maxContext: 2048, maxBatch: 1, threads, flashAttention: "off" });
    const seq = ctx.getSequence();
    const grammars = requestGrammars(llama);
    const grammarOf: Record<Variant, LlamaGrammar | undefined> = { none: undefined, free_string: await grammars.json(grammarSchema(SCHEMAS.free_string, "free_string")), object: await grammars.json(grammarSchema(SCHEMAS.object, "object")) };
    const prompt = [model.tokens.bos!, ...model.tokenize("Answer in JSON: ")];
    const runs: Record<Variant, { decode: number; tokens: number }[]> = { none: [], free_string: [], object: [] };
    const once = async (variant: Variant, seed: number) => {
      const stop = new AbortController(); // the grammar's stop text ends a JSON answer, as in serve
      const gen = generateTokens(seq, prompt, { maxTokens: tokens, ignoreEos: true, temperature: 1, seed, reusePrefix: false, grammar: grammarOf[variant], signal: stop.signal });
      let text = "";
      for (;;) {
        const step = await gen.next();
        if (step.done) return step.value;
        text += step.value.text;
        if (text.includes("\n\n\n\n")) stop.abort();
      }
    };
    try {
      await once("none", 0); // warm-up
      for (let i = 0; i < replicates; i++) {
        // Side by side, alternating, so drift hits every variant equally.
        for (const variant of Object.keys(runs) as Variant[]) {
          const stats = await once(variant, i + 1);
          if (stats.decodeTokensPerSecond !== null) runs[variant].push({ decode: stats.decodeTokensPerSecond, tokens: stats.completionTokens });
        }
        logger.info(`replicate ${i + 1}: ${(Object.keys(runs) as Variant[]).map((v) => `${v} ${runs[v].at(-1)?.decode.toFixed(1)} tok/s (${runs[v].at(-1)?.tokens} tokens)`).join(", ")}`);
      }
    } finally {
      await ctx.dispose();
      await model.dispose();
    }
    const medians = Object.fromEntries((Object.keys(runs) as Variant[]).map((v) => [v, { median_decode_tokens_per_s: median(runs[v].map((r) => r.decode)), median_tokens: median(runs[v].map((r) => r.tokens)) }]));
    const ratio = { free_string_over_none: medians.free_string!.median_decode_tokens_per_s / medians.none!.median_decode_tokens_per_s, object_over_none: medians.object!.median_decode_tokens_per_s / medians.none!.median_decode_tokens_per_s };
    const result = {
      bench: "grammar",
      date: new Date().toISOString(),
      machine: detectMachine(),
      fixture: { name: fixture.name, params: fixture.params, sha256: fixture.sha256, vocabulary: (model.fileInfo.metadata.tokenizer as { ggml: { tokens: readonly unknown[] } }).ggml.tokens.length },
      settings: { threads, tokens, replicates, prompt_tokens: prompt.length, temperature: 1, engine: describeEngine(llama).build },
      schemas: SCHEMAS,
      ...medians,
      ratio,
      replicates_raw: runs,
    };
    const dir = join(import.meta.dir, "results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `grammar-${fixture.name}-t${threads}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    logger.success(`wrote ${file}`);
    process.stdout.write(JSON.stringify({ ...medians, ratio }, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(benchGrammar);
