/** The cheap checks on a local model (PW-2): the catalog's size, then the GGUF header and vocabulary. */
import { statSync } from "node:fs";
import type { IntegritySummary } from "../../gguf/check-gguf-header.ts";
import { checkGgufIntegrity } from "../../gguf/io/check-gguf-integrity.ts";
import { ModelFileError } from "../model-file-error.ts";

export function checkModelFile(path: string, expected: { bytes?: number }): IntegritySummary {
  if (expected.bytes !== undefined) {
    const size = statSync(path).size;
    if (size !== expected.bytes) throw new ModelFileError("size_mismatch", `model file ${path} has ${size} bytes but the catalog says ${expected.bytes}`);
  }
  return checkGgufIntegrity(path);
}

