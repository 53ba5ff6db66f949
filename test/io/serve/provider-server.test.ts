import { afterAll, describe, expect, test } from "bun:test";
import { startProviderServer } from "../../../lib/serve/io/provider-server.ts";

// The server before a model is attached: what a client sees while serve is loading.
const server = startProviderServer({ host: "127.0.0.1", port: 0, apiKey: "k", capacity: { model: "m", max_batch: 3 } });
afterAll(() => server.drain(0));
const get = (path: string, key = "k", method = "GET") => fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });

describe("startProviderServer() while loading", () => {
  test("startProviderServer() binds the given loopback address", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("/health is 503 until a model is attached, without a key", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "loading model" });
  });

  test("/v1/capacity answers with ready false and the resolved max_batch", async () => {
    expect(await (await get("/v1/capacity")).json()).toMatchObject({ model: "m", max_batch: 3, ready: false, in_flight: 0, queued: 0 });
  });

  test.each([["GET", "/v1/models"], ["POST", "/v1/chat/completions"]])("%s %s is 503 model_loading with Retry-After", async (method, path) => {
    const res = await get(path, "k", method);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(((await res.json()) as any).error).toMatchObject({ code: "model_loading", type: "server_error" });
  });

  test("a wrong key is 401 in OpenAI's error shape", async () => {
    const res = await get("/v1/models", "nope");
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error).toMatchObject({ code: "invalid_api_key", type: "authentication_error", param: null });
  });

  test("an unknown route is 404", async () => {
    expect((await get("/v2/whatever")).status).toBe(404);
  });

  test("a route asked with the wrong method is 405 with Allow, loading or not", async () => {
    const res = await get("/v1/chat/completions");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  test("/metrics counts requests by route and status and reports not ready", async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/macprovider_requests_total\{route="\/health",status="503"\} [1-9]/);
    expect(text).toContain("macprovider_ready 0");
  });
});
