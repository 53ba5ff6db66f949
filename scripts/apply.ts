/**
 * `bun scripts/apply.ts < stage2.json`: writes the recommendation's owned keys into serve's config
 * file (APL-1…4), keeping every other byte, with an exclusive backup and an atomic replace after
 * serve's own preflight accepts the new file. Prints `{config, backup, written_keys, removed_keys,
 * restart_hint}` on stdout; exit 7 `apply_failed` when it cannot, the config unchanged.
 */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { parseApplyInput } from "../lib/apply/parse-apply-input.ts";
import { applyRecipe } from "../lib/apply/io/apply-recipe.ts";
import { detectRestartHint } from "../lib/apply/io/detect-restart-hint.ts";
import { asUsage, CliError } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { readDocumentInput } from "../lib/cli/io/read-document-input.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { createCommandRunner } from "../lib/host/io/command-runner.ts";
import { configPath } from "../lib/host/io/paths.ts";
import { EXIT_REASONS } from "../lib/tune/tune-documents.ts";

export const applyCommand = defineCommand({
  meta: { name: "apply", description: "Write a stage2 recommendation into serve's config file: only the owned keys change, the old file is backed up, and the new one must pass serve's preflight before it replaces the old." },
  args: {
    in: { type: "string", valueHint: "FILE", description: "The stage2 document to read. Defaults to stdin." },
    config: { type: "string", valueHint: "FILE", description: "The config file to write (created when missing). Defaults to $MACPROVIDER_CONFIG, else $XDG_CONFIG_HOME/macprovider/config.yaml." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    const input = asUsage(() => parseApplyInput(readDocumentInput("apply", "stage2", args.in)));
    if (input.recommendation === null) {
      // An upstream ending (all_infeasible, stage2_no_feasible_cell, …) is passed on: it says why
      // there is nothing to apply, and the composed autotune run records that reason, not apply_failed.
      const reason = input.exit_reason === "completed" ? "apply_failed" : input.exit_reason;
      throw new CliError(`apply: the stage2 document has no recommendation (exit_reason ${input.exit_reason}); nothing to apply, the config is unchanged`, EXIT_REASONS[reason]);
    }
    const configFile = resolve(args.config ?? configPath());
    logger.start(`apply: writing ${input.recommendation.model_path} and its knobs to ${configFile}; checking it through serve's preflight (opens llama.cpp, estimates memory)`);
    const result = await applyRecipe({ configFile, recommendation: input.recommendation, env: process.env, cwd: process.cwd() });
    const restart_hint = await detectRestartHint({
      platform: process.platform, home: process.env.HOME || homedir(), uid: process.getuid?.() ?? 0,
      runner: createCommandRunner(), configFile, env: process.env,
    });
    logger.success(`apply: wrote ${result.written_keys.join(", ")}${result.removed_keys.length ? `, removed ${result.removed_keys.join(", ")}` : ""} in ${result.config}${result.backup ? ` (backup ${result.backup})` : " (new file)"}`);
    logger.info(restart_hint);
    process.stdout.write(JSON.stringify({ ...result, restart_hint }, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(applyCommand);
