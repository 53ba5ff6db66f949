/**
 * Reads the YAML config file for serve. A missing file at the default location is no config; a
 * missing file the user named, an unreadable one or malformed YAML is a `ConfigError` (exit 78).
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "../resolve-serve-config.ts";

export function loadYamlConfig(path: string, explicit: boolean): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !explicit) return null;
    throw new ConfigError(`config file ${path} cannot be read: ${code ?? (error as Error).message}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    throw new ConfigError(`config file ${path} is not valid YAML${where}: ${first.message.split("\n")[0]}`);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ConfigError(`config file ${path} must be a YAML mapping of keys to values, found ${Array.isArray(data) ? "a list" : typeof data}`);
  }
  return data as Record<string, unknown>;
}
