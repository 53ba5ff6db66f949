import { describe, expect, test } from "bun:test";
import { GgufIntegrityError } from "../../../lib/gguf/check-gguf-header.ts";
import { classifyPrewarmFailure, type PrewarmStep } from "../../../lib/tune/classify-prewarm-failure.ts";
import { ModelFileError } from "../../../lib/tune/model-file-error.ts";

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("classifyPrewarmFailure()", () => {
  test.each<[string, unknown, PrewarmStep, "transient" | "integrity", RegExp]>([
    ["a GGUF integrity defect", new GgufIntegrityError("/m.gguf", "duplicate_token", "token 9 repeats token 3"), "check", "integrity", /duplicate_token/],
    ["a body cut short", new ModelFileError("cut_short", "download of U cut short: 5 of 10 bytes arrived"), "fetch", "integrity", /cut short/],
    ["a size mismatch", new ModelFileError("size_mismatch", "model file /m has 5 bytes but the catalog says 6"), "check", "integrity", /catalog says 6/],
    ["a sha256 mismatch", new ModelFileError("sha256_mismatch", "sha differs"), "read", "integrity", /sha differs/],
    ["an HTTP 5xx", new ModelFileError("http_status", "HTTP 503 Service Unavailable from U"), "fetch", "transient", /HTTP 503/],
    ["a refused connection", new ModelFileError("network", "cannot reach U: ECONNREFUSED"), "fetch", "transient", /ECONNREFUSED/],
    ["a stalled download", new ModelFileError("stalled", "no data from U for 60 s"), "fetch", "transient", /no data/],
    ["a missing local file", new ModelFileError("not_found", "local model file /m does not exist"), "fetch", "transient", /does not exist/],
    ["a full disk while downloading", errno("ENOSPC", "write failed"), "fetch", "transient", /^disk full \(ENOSPC\): write failed$/],
    ["a full disk under a wrapper", new Error("writer failed", { cause: errno("EDQUOT") }), "fetch", "transient", /disk full \(EDQUOT\)/],
    ["a bare network error", errno("ECONNRESET", "socket hang up"), "fetch", "transient", /cannot make the model local: socket hang up/],
    ["a timeout", Object.assign(new Error("timed out"), { name: "TimeoutError" }), "fetch", "transient", /timed out/],
    ["an unknown download error", new Error("Failed to fetch manifest for \"hf:a/b\": 404"), "fetch", "transient", /Failed to fetch manifest/],
    ["an unknown error reading metadata", new Error("Unsupported architecture\nat line 3"), "estimate", "integrity", /^cannot estimate the model's memory: Unsupported architecture$/],
    ["an unknown error reading weights", new Error("EIO?"), "read", "integrity", /cannot read the weights/],
  ])("classifyPrewarmFailure() calls %s %s", (_, error, step, status, reason) => {
    const failure = classifyPrewarmFailure(error, step);
    expect(failure.status).toBe(status);
    expect(failure.reason).toMatch(reason);
    expect(failure.reason).not.toContain("\n");
  });
});
