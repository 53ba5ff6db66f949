import { CliError } from "../cli/cli-error.ts";

/** A provider is running that autotune may not or cannot drain: exit 6 `provider_conflict` (CON-2). */
export class ProviderConflictError extends CliError {
  constructor(message: string) {
    super(message, 6);
    this.name = "ProviderConflictError";
  }
}
