/**
 * A model that could not be made local, or whose file is not the one the catalog describes. Thrown by
 * the adapters in `io/`; `kind` is what `classifyPrewarmFailure` maps to transient or integrity (PW-2).
 */
export type ModelFileErrorKind =
  /** The server answered with an error status. */
  | "http_status"
  /** No connection, a reset before any data, a DNS failure. */
  | "network"
  /** No answer, or no new bytes, within the stall timeout. */
  | "stalled"
  /** A local path or fixture that does not exist. */
  | "not_found"
  /** The body ended (or stopped for good) before its announced length: a truncated file. */
  | "cut_short"
  /** The file's size differs from the catalog's `bytes`. */
  | "size_mismatch"
  /** The file's SHA-256 differs from the catalog's `sha256`. */
  | "sha256_mismatch";

export const INTEGRITY_KINDS: ReadonlySet<ModelFileErrorKind> = new Set(["cut_short", "size_mismatch", "sha256_mismatch"]);

export class ModelFileError extends Error {
  readonly code = "model_file";
  constructor(readonly kind: ModelFileErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModelFileError";
  }
}
