/** `npm run build` → `dist/macprovider` and its runtime folder `dist/node_modules` (PIPE-3). */
import { join } from "node:path";
import { defineCommand } from "citty";
import { logger } from "../lib/cli/io/logger.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { buildBinary } from "../lib/build/io/build-binary.ts";

export const buildCommand = defineCommand({
  meta: { name: "build", description: "Compile the one binary (dist/macprovider) and copy the runtime it loads node-llama-cpp from (dist/node_modules)." },
  args: {
    out: { type: "string", description: "Output folder. Defaults to dist/ in the repository." },
    "gpu-runtimes": { type: "boolean", description: "Also copy node-llama-cpp's CUDA/Vulkan prebuilt binaries for this platform (hundreds of MB). Defaults to off: the CPU (and on macOS the Metal) binary only." },
  },
  async run({ args }) {
    const root = join(import.meta.dir, "..");
    const result = await buildBinary({ root, outDir: args.out ?? join(root, "dist"), gpuVariants: Boolean(args["gpu-runtimes"]), log: (l) => logger.info(l) });
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  },
});

if (import.meta.main) await runScript(buildCommand);
