import { CliError } from "../cli/cli-error.ts";
import { EXIT_REASONS } from "../tune/tune-documents.ts";

/** Apply could not write the recipe (APL-3): one line naming the step and the file, exit 7 `apply_failed`; the config is unchanged. */
export class ApplyError extends CliError {
  constructor(message: string) {
    super(message, EXIT_REASONS.apply_failed);
    this.name = "ApplyError";
  }
}
