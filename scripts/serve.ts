/**
 * `bun scripts/serve.ts --model M [knobs]`: the OpenAI-compatible provider (SRV-1…8). Knobs resolve
 * CLI > env > YAML > default and are checked before anything loads (CFG-2: exit 78).
 */
import { defineCommand, type ArgsDef } from "citty";
import { SERVE_KNOBS, type KnobName } from "../lib/config/serve-knobs.ts";
import { runScript } from "../lib/cli/io/run-script.ts";
import { runProvider } from "../lib/serve/io/run-provider.ts";

const knobArgs = Object.fromEntries(
  SERVE_KNOBS.map((k) => [k.flag, {
    type: "string",
    valueHint: k.allowed,
    description: `${k.description} Env ${k.env}, YAML ${k.yaml}. Defaults to ${k.default === null ? defaultText(k.name) : JSON.stringify(k.default)}.`,
  }]),
) as ArgsDef;

function defaultText(name: KnobName): string {
  if (name === "maxContext") return "the RAM tier (≥60 GiB RAM: 200000, ≥30: 120000, ≥15: 50000, else 20000), capped by the model's trained context and by memory";
  if (name === "threads") return "the physical cores";
  if (name === "kvBits") return "none (F16)";
  return "unset";
}

export const serveCommand = defineCommand({
  meta: {
    name: "serve",
    description: "Serve a GGUF model over an OpenAI-compatible HTTP API. Engine variable MACPROVIDER_INLINE_DECODE_MS (local build): decode steps averaging under this many ms, and prompt steps expected to take at most 5× it, run on the JS thread; default 20, 0 = never, at most 10000.",
  },
  args: {
    ...knobArgs,
    config: { type: "string", description: "YAML config file. Env MACPROVIDER_CONFIG. Defaults to $XDG_CONFIG_HOME/macprovider/config.yaml (~/.config/...)." },
    join: { type: "boolean", default: true, description: "Accepted for compatibility with the original deployment's coordinator; has no effect.", negativeDescription: "Do not join a coordinator (always so; autotune passes it)." },
    verbose: { type: "boolean", description: "Show stacks on errors." },
  },
  async run({ args }) {
    const cli: Partial<Record<KnobName, string>> = {};
    for (const k of SERVE_KNOBS) if (typeof args[k.flag] === "string") cli[k.name] = args[k.flag] as string;
    await runProvider({ cli, configFile: args.config as string | undefined, env: process.env, cwd: process.cwd() }, Boolean(args.verbose));
  },
});

if (import.meta.main) await runScript(serveCommand);
