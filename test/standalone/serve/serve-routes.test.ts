import { describe, expect, test } from "bun:test";
import { requestPath, routeLabel } from "../../../lib/serve/serve-routes.ts";

describe("requestPath()", () => {
  // What Bun puts in req.url: the origin form when there is no usable Host, else scheme://Host/path.
  test.each([
    ["an origin-form target (HTTP/1.0 without Host)", "/health", "/health"],
    ["a query string", "/v1/models?x=1", "/v1/models"],
    ["a fragment", "/metrics#x", "/metrics"],
    ["a usable Host", "http://127.0.0.1:8080/v1/capacity", "/v1/capacity"],
    ["an invalid Host", "http://[::1/health", "/health"],
    ["a Host with a bad port", "http://x:99999/health?a", "/health"],
    ["no path at all", "http://host", "/"],
    ["nonsense", "garbage", "/"],
  ])("requestPath() reads %s", (_, url, path) => {
    expect(requestPath(url)).toBe(path);
  });
});

describe("routeLabel()", () => {
  test.each([
    ["/health", "/health"],
    ["/v1/chat/completions", "/v1/chat/completions"],
    ["/v2/whatever", "other"],
    ["/toString", "other"],
    ["/__proto__", "other"],
  ])("routeLabel(%p) is %p", (path, label) => {
    expect(routeLabel(path)).toBe(label);
  });
});
