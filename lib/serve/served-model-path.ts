import { ConfigError, type ResolvedServeConfig } from "../config/resolve-serve-config.ts";

/**
 * The model file serve will load: `~` expands; a relative path in the YAML file is relative to that
 * file, elsewhere to the working folder. No model at all is a ConfigError.
 */
export function servedModelPath(config: ResolvedServeConfig, yamlPath: string, where: { home: string; cwd: string }): string {
  const raw = config.values.model;
  if (raw === null) throw new ConfigError("model: no model given; pass --model PATH, set MACPROVIDER_MODEL, or put model: in the config file");
  const expanded = raw === "~" || raw.startsWith("~/") ? where.home + raw.slice(1) : raw;
  if (expanded.startsWith("/")) return normalize(expanded);
  const base = config.sources.model === "yaml" ? yamlPath.slice(0, Math.max(0, yamlPath.lastIndexOf("/"))) || "/" : where.cwd;
  return normalize(`${base}/${expanded}`);
}

/** POSIX path normalisation ("a/./b/../c" → "a/c"), as node's path.resolve does for absolute paths. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

