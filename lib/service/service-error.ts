import { CliError } from "../cli/cli-error.ts";

/** EX_UNAVAILABLE (sysexits.h): the service manager refused or could not be reached. */
export const EX_UNAVAILABLE = 69;

/** A service-manager call that failed: one line naming the action and the command, exit 69. */
export class ServiceError extends CliError {
  constructor(message: string) {
    super(message, EX_UNAVAILABLE);
    this.name = "ServiceError";
  }
}
