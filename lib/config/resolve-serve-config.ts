/**
 * CFG-1: every serve knob resolves CLI > env > YAML > default in one pure function that also says
 * where each value came from. A bad value throws `ConfigError` naming knob, value, source, allowed.
 */
import { CliError, EXIT } from "../cli/cli-error.ts";
import { SERVE_KNOBS, type KnobDef, type KnobName, type ServeSettings } from "./serve-knobs.ts";

export type KnobSource = "cli" | "env" | "yaml" | "default";

export type ResolvedServeConfig = { values: ServeSettings; sources: Record<KnobName, KnobSource> };

export type ConfigInputs = {
  /** Raw CLI values by knob name (only those given). */
  cli: Partial<Record<KnobName, string>>;
  env: Record<string, string | undefined>;
  /** The parsed YAML document (an object), or null when there is no file. */
  yaml: Record<string, unknown> | null;
  /** For messages: where the YAML came from. */
  yamlPath?: string;
};

/** A bad knob value or config file: one line, exit 78 (EX_CONFIG), nothing loaded. */
export class ConfigError extends CliError {
  constructor(message: string) {
    super(message, EXIT.config);
    this.name = "ConfigError";
  }
}

export function resolveServeConfig(inputs: ConfigInputs): ResolvedServeConfig {
  const values = {} as Record<KnobName, unknown>;
  const sources = {} as Record<KnobName, KnobSource>;
  for (const def of SERVE_KNOBS as readonly KnobDef[]) {
    const [source, raw] = pick(def, inputs);
    sources[def.name] = source;
    if (source === "default") {
      values[def.name] = def.default;
      continue;
    }
    try {
      values[def.name] = def.parse(raw);
    } catch (error) {
      throw new ConfigError(`${describeSource(def, source, inputs.yamlPath)} has invalid value ${JSON.stringify(raw)}; allowed: ${(error as Error).message}`);
    }
  }
  return { values: values as ServeSettings, sources };
}

function pick(def: KnobDef, inputs: ConfigInputs): [KnobSource, unknown] {
  const cli = inputs.cli[def.name];
  if (cli !== undefined) return ["cli", cli];
  const env = inputs.env[def.env];
  if (env !== undefined && (env !== "" || def.keepEmptyEnv)) return ["env", env];
  if (inputs.yaml && Object.hasOwn(inputs.yaml, def.yaml)) return ["yaml", inputs.yaml[def.yaml]];
  return ["default", def.default];
}

/** "--kv-bits (CLI)", "MACPROVIDER_KV_BITS (env)", "kv_bits in /path/config.yaml". */
export function describeSource(def: Pick<KnobDef, "flag" | "env" | "yaml">, source: KnobSource, yamlPath = "the config file"): string {
  switch (source) {
    case "cli": return `--${def.flag} (CLI)`;
    case "env": return `${def.env} (env)`;
    case "yaml": return `${def.yaml} in ${yamlPath}`;
    case "default": return `${def.flag} (default)`;
  }
}
