/** The integrity check's failure: which defect, in which file, said in one line. */
export type IntegrityDefect =
  | "bad_magic"
  | "bad_header"
  | "unknown_tensor_type"
  | "tensor_out_of_bounds"
  | "missing_key"
  | "bad_hparam"
  | "missing_tokenizer"
  | "bad_vocab"
  | "duplicate_token"
  | "missing_byte_token";

/** A model file that must not reach llama.cpp. `code` is stable for callers mapping it to exit reasons. */
export class GgufIntegrityError extends Error {
  readonly code = "integrity";
  constructor(readonly file: string, readonly defect: IntegrityDefect, detail: string) {
    // Details quote names read from the file; a control byte in one must not break the line.
    super(`model file ${file} failed the integrity check (${defect}): ${detail.replace(/[\u0000-\u001f\u007f]/g, " ")}`);
    this.name = "GgufIntegrityError";
  }
}

/** Makes the error for one file; the checks take it so they need not know the file. */
export type FailFn = (defect: IntegrityDefect, detail: string) => GgufIntegrityError;
