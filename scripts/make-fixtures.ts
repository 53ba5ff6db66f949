/** `bun scripts/make-fixtures.ts --out DIR [--sizes LIST]`: writes the synthetic model family (FIX-1). */
import { defineCommand } from "citty";
import { asUsage, withFsErrors } from "../lib/cli/cli-error.ts";
import { logger } from "../lib/cli/io/logger.ts";
import { makeFixtures } from "../lib/fixtures/io/make-fixtures.ts";
import { parseFixtureNames } from "../lib/fixtures/parse-fixture-names.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { runScript } from "../lib/cli/io/run-script.ts";

export const makeFixturesCommand = defineCommand({
  meta: { name: "make-fixtures", description: "Write the synthetic GGUF fixture family and its catalog; prints {catalog, models} as JSON." },
  args: {
    out: { type: "string", description: "Folder for the models and catalog.yaml. Defaults to $MACPROVIDER_FIXTURES_DIR or ~/.cache/macprovider/fixtures." },
    sizes: { type: "string", description: "Comma list of fixtures (fx-1m,fx-8m,fx-30m,fx-80m,fx-250m,fx-500m,fx-1b; the fx- prefix is optional) or all. Defaults to all." },
  },
  async run({ args }) {
    const specs = asUsage(() => parseFixtureNames(args.sizes));
    const result = await withFsErrors("make-fixtures: cannot write the fixtures", () => makeFixtures(args.out ?? fixturesDir(), specs, (m) =>
      logger.info(`${m.reused ? "reused" : "wrote"} ${m.name}: ${m.params.toLocaleString("en")} params, ${(m.bytes / 1e6).toFixed(1)} MB`),
    ));
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(makeFixturesCommand);
