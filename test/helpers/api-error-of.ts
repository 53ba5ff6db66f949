import { expect } from "bun:test";
import { ApiError } from "../../lib/serve/api-error.ts";

/** The ApiError `fn` throws; fails the test when it throws nothing or something else. */
export function apiErrorOf(fn: () => unknown): ApiError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
