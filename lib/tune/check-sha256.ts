import { ModelFileError } from "./model-file-error.ts";

/** Throws (PW-2 integrity) when the catalog gives a sha256 and the file's differs; `actual` null = not hashed. */
export function checkSha256(path: string, expected: string | undefined, actual: string | null): void {
  if (expected !== undefined && actual !== null && actual !== expected) {
    throw new ModelFileError("sha256_mismatch", `model file ${path} has sha256 ${actual} but the catalog says ${expected}`);
  }
}
