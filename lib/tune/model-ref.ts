/**
 * What a model reference (MOD-1) names: a synthetic fixture, a Hugging Face file, an http(s) URL or
 * a local GGUF. Pure: the adapters in `io/` decide how each kind becomes a local file.
 */
import { isAbsolute, resolve } from "node:path";
import { FIXTURE_FAMILY } from "../fixtures/fixture-family.ts";

export type ModelRef =
  /** `fixture:fx-80m`: generated on demand into the fixtures folder. */
  | { kind: "fixture"; ref: string; fixture: string }
  /** `hf:owner/repo:QUANT` or `hf:owner/repo/file.gguf[#branch]`, resolved by node-llama-cpp. */
  | { kind: "hf"; ref: string }
  /** An http(s) URL of one file; `fileName` is the name it gets in the models folder. */
  | { kind: "url"; ref: string; fileName: string }
  /** A local file, used in place. */
  | { kind: "path"; ref: string; path: string };

const HF_REF = /^hf:[A-Za-z0-9][\w.-]*\/[\w.-]+(?::[\w.-]+|\/[^\s#]+\.gguf(?:#[\w./-]+)?)?$/;
// filenamify (used by node-llama-cpp's downloader) truncates names past 100 characters.
const MAX_FILE_NAME = 100;

/**
 * Classifies `ref`; a relative local path is resolved against `baseDir` (the catalog's folder or the
 * working directory), which must be absolute. Throws an Error naming the reference when malformed.
 */
export function parseModelRef(ref: string, baseDir: string | null): ModelRef {
  if (ref.trim() !== ref || ref === "") throw new Error(`model reference ${JSON.stringify(ref)} is empty or has surrounding spaces`);
  if (ref.startsWith("fixture:")) {
    const fixture = ref.slice("fixture:".length);
    if (!FIXTURE_FAMILY.some((s) => s.name === fixture)) {
      throw new Error(`model reference "${ref}" names no fixture; known: ${FIXTURE_FAMILY.map((s) => `fixture:${s.name}`).join(", ")}`);
    }
    return { kind: "fixture", ref, fixture };
  }
  if (ref.startsWith("hf:")) {
    if (!HF_REF.test(ref)) throw new Error(`model reference "${ref}" is not of the form hf:owner/repo:QUANT or hf:owner/repo/file.gguf`);
    return { kind: "hf", ref };
  }
  if (/^https?:\/\//i.test(ref)) return { kind: "url", ref, fileName: fileNameFromUrl(ref) };
  if (/^[a-z][\w+.-]*:\/\//i.test(ref)) throw new Error(`model reference "${ref}" has an unsupported scheme; use a local path, hf:owner/repo:QUANT, an http(s) URL or fixture:NAME`);
  if (isAbsolute(ref)) return { kind: "path", ref, path: ref };
  if (baseDir === null) throw new Error(`model reference "${ref}" is a relative path, which this catalog cannot resolve; use an absolute path`);
  return { kind: "path", ref, path: resolve(baseDir, ref) };
}

/** The file name a URL's download gets: its last path segment, reduced to characters safe everywhere. */
export function fileNameFromUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`model reference "${url}" is not a valid URL`);
  }
  const last = parsed.pathname.split("/").pop() ?? "";
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  name = name.replace(/[^\w.-]/g, "_").replace(/^\.+/, "");
  if (name === "") throw new Error(`model reference "${url}" names no file (its path ends in "/")`);
  if (name.length > MAX_FILE_NAME) {
    const ext = name.toLowerCase().endsWith(".gguf") ? ".gguf" : "";
    name = name.slice(0, MAX_FILE_NAME - ext.length) + ext;
  }
  return name;
}
