/**
 * PW-2: which failures abort the run (integrity) and which only mark a candidate infeasible
 * (transient). Calling an integrity failure transient is the worse mistake, so anything unknown
 * that happens after the file is local counts as integrity.
 */
import { GgufIntegrityError } from "../gguf/check-gguf-header.ts";
import { INTEGRITY_KINDS, ModelFileError } from "./model-file-error.ts";

/** Where the failure happened: making the file local, checking it, estimating memory, reading it. */
export type PrewarmStep = "fetch" | "check" | "estimate" | "read";

export type PrewarmFailure = { status: "transient" | "integrity"; reason: string };

const DISK_FULL = new Set(["ENOSPC", "EDQUOT"]);
const NETWORK = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH",
  "ENETUNREACH", "ENETDOWN", "EPIPE", "ConnectionRefused", "ConnectionClosed", "FailedToOpenSocket",
]);

const STEP_ACTION: Record<PrewarmStep, string> = {
  fetch: "cannot make the model local",
  check: "cannot check the model file",
  estimate: "cannot estimate the model's memory",
  read: "cannot read the weights",
};

export function classifyPrewarmFailure(error: unknown, step: PrewarmStep): PrewarmFailure {
  if (error instanceof GgufIntegrityError) return { status: "integrity", reason: oneLine(error.message) };
  if (error instanceof ModelFileError) {
    return { status: INTEGRITY_KINDS.has(error.kind) ? "integrity" : "transient", reason: oneLine(error.message) };
  }
  const code = errorCode(error);
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (code && DISK_FULL.has(code)) return { status: "transient", reason: `disk full (${code}): ${message}` };
  if ((code && NETWORK.has(code)) || isTimeout(error)) return { status: "transient", reason: `${STEP_ACTION[step]}: ${message}` };
  return { status: step === "fetch" ? "transient" : "integrity", reason: `${STEP_ACTION[step]}: ${message}` };
}

/** The errno-style code of an error or of the first cause that has one. */
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

function oneLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "unknown error";
  return line.trim();
}
