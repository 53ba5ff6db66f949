/** A 400 naming a JSON-schema keyword by its path in the request (`param`). */
import { ApiError } from "../api-error.ts";

export const schemaError = (param: string, message: string) => new ApiError(400, `${param}: ${message}`, "invalid_value", param);
