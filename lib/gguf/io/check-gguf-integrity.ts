/** The integrity check on a file (PW-2): reads the header, then runs the pure checks of checkGgufHeader. */
import { checkGgufHeader, GgufIntegrityError, type IntegritySummary } from "../check-gguf-header.ts";
import { GgufParseError, type GgufHeaderRead } from "../read-gguf-header.ts";
import { readGgufHeaderFile } from "./read-gguf-header-file.ts";

/** Throws `GgufIntegrityError` naming the first defect found; returns a short summary otherwise. */
export function checkGgufIntegrity(file: string): IntegritySummary {
  let header: GgufHeaderRead;
  try {
    header = readGgufHeaderFile(file);
  } catch (error) {
    if (error instanceof GgufParseError) throw new GgufIntegrityError(file, error.kind, error.message);
    throw error; // unreadable file (ENOENT, EACCES): not a defect of the model
  }
  return checkGgufHeader(file, header);
}
