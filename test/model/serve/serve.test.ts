import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { SERVE_KNOBS } from "../../../lib/config/serve-knobs.ts";
import { readGgufHeaderFile } from "../../../lib/gguf/io/read-gguf-header-file.ts";
import { corruptCopies, tempDir, testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, readSse, spawnServe, startServe, type ServeProcess } from "../../helpers/serve-process.ts";

let modelPath: string;
let main: ServeProcess; // fx-8m, max-batch 2, shared by the API tests

beforeAll(async () => {
  modelPath = (await testFixture("fx-8m")).path;
  main = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "2048"], isolatedEnv({ MACPROVIDER_MAX_BATCH: "2" }));
});
afterAll(async () => {
  await main?.stop();
});

// Test bodies are checked field by field; `any` keeps the assertions readable.
const json = (res: Response): Promise<any> => res.json();
const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("serve: the OpenAI client", () => {
  const client = () => new OpenAI({ baseURL: `${main.url}/v1`, apiKey: "unused" });

  test("models.list() lists the served model", async () => {
    const list = await client().models.list();
    expect(list.data.map((m) => m.id)).toEqual(["fx-8m"]);
  });

  test("chat.completions.create() answers without streaming", async () => {
    const r = await client().chat.completions.create({ model: "fx-8m", messages: [{ role: "user", content: "Hello" }], max_tokens: 8 });
    expect(r.object).toBe("chat.completion");
    expect(r.choices[0]!.message.role).toBe("assistant");
    expect(typeof r.choices[0]!.message.content).toBe("string");
    expect(["stop", "length"]).toContain(r.choices[0]!.finish_reason);
    expect(r.usage!.completion_tokens).toBeLessThanOrEqual(8);
    expect(r.usage!.prompt_tokens).toBeGreaterThan(5);
  });

  test("chat.completions.create({stream}) streams deltas and usage", async () => {
    const stream = await client().chat.completions.create({
      model: "fx-8m", messages: [{ role: "user", content: "Hello" }], max_tokens: 12, stream: true,
      stream_options: { include_usage: true }, ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(finish).toBe("length");
    expect(usage!.completion_tokens).toBe(12);
    expect(text.length).toBeGreaterThan(0);
  });

  test("completions.create() answers with and without streaming", async () => {
    const r = await client().completions.create({ model: "fx-8m", prompt: "Once upon a time", max_tokens: 6, ignore_eos: true } as OpenAI.CompletionCreateParamsNonStreaming);
    expect(r.object).toBe("text_completion");
    expect(r.usage!.completion_tokens).toBe(6);
    const stream = await client().completions.create({ model: "fx-8m", prompt: "Once", max_tokens: 6, stream: true, ignore_eos: true } as OpenAI.CompletionCreateParamsStreaming);
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("length");
  });
});

describe("serve: HTTP behaviour", () => {
  test("a streamed response ends with finish_reason, usage, then [DONE], and streams the same text as a plain one", async () => {
    const body = { messages: [{ role: "user", content: "中文 😀" }], max_tokens: 64, ignore_eos: true, temperature: 0, cache_prompt: false };
    const plain = await json(await post(main.url, "/v1/chat/completions", body));
    const res = await post(main.url, "/v1/chat/completions", { ...body, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = await readSse(res);
    expect(events.at(-1)).toBe("[DONE]");
    const parsed = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(parsed[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(parsed.at(-1).usage.completion_tokens).toBe(64);
    expect(parsed.at(-2).choices[0].finish_reason).toBe("length");
    const streamed = parsed.map((p) => p.choices[0]?.delta?.content ?? "").join("");
    expect(streamed).toBe(plain.choices[0].message.content);
  });

  test("a stop string ends generation and never appears in the output", async () => {
    // Greedy output is deterministic: take a piece of it as the stop string.
    const body = { prompt: "Once upon a time", max_tokens: 40, temperature: 0, ignore_eos: true, cache_prompt: false };
    const full = (await json(await post(main.url, "/v1/completions", body))).choices[0].text as string;
    const stop = [...full].slice(10, 12).join("");
    const stopped = await json(await post(main.url, "/v1/completions", { ...body, stop }));
    expect(stopped.choices[0].finish_reason).toBe("stop");
    expect(stopped.choices[0].text).toBe(full.slice(0, full.indexOf(stop)));
  });

  test.each([
    ["malformed JSON", "{\"messages\": [", 400, "invalid_json", null],
    ["a body that is not an object", "[1]", 400, "invalid_request", null],
    ["wrong types", { messages: "hi" }, 400, "invalid_value", "messages"],
    ["a negative max_tokens", { messages: [{ role: "user", content: "x" }], max_tokens: -3 }, 400, "invalid_value", "max_tokens"],
    ["a bad temperature", { messages: [{ role: "user", content: "x" }], temperature: -1 }, 400, "invalid_value", "temperature"],
    ["an unknown model", { model: "gpt-4", messages: [{ role: "user", content: "x" }] }, 404, "model_not_found", "model"],
  ] as const)("%s gets %p with code %p", async (_, body, status, code, param) => {
    const res = await post(main.url, "/v1/chat/completions", body);
    expect(res.status).toBe(status);
    const out = await json(res);
    expect(out.error.code).toBe(code);
    expect(out.error.param).toBe(param);
    expect(typeof out.error.message).toBe("string");
    expect(typeof out.error.type).toBe("string");
  });

  test.each([
    ["GET", "/v1/chat/completions", "POST"],
    ["GET", "/v1/completions", "POST"],
    ["POST", "/v1/models", "GET"],
  ])("%s %s gets 405 naming the method it takes", async (method, path, allowed) => {
    const res = await fetch(`${main.url}${path}`, { method, ...(method === "POST" ? { body: "{}" } : {}) });
    expect(res.status).toBe(405);
    const body = await json(res);
    expect(body.error).toMatchObject({ code: "method_not_allowed" });
    expect(body.error.message).toContain(`takes ${allowed}`);
  });

  test("a body over 1 MiB gets 413 and the server stays up", async () => {
    const res = await post(main.url, "/v1/completions", { prompt: "x".repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe("request_too_large");
    expect((await fetch(`${main.url}/health`)).status).toBe(200);
  });

  test("/v1/capacity reports the resolved max_batch and where each knob came from", async () => {
    const cap = await json(await fetch(`${main.url}/v1/capacity`));
    expect(cap).toMatchObject({ model: "fx-8m", max_batch: 2, max_context: 2048, kv_bits: null, threads: 1, in_flight: 0, queued: 0, max_queue: 64 });
    expect(cap.sources).toMatchObject({ max_concurrency_override: "env", max_context_override: "cli", threads: "cli", kv_bits: "default" });
  });

  test("/metrics exposes requests, tokens, TTFT and decode histograms and queue depth", async () => {
    await post(main.url, "/v1/completions", { prompt: "metrics", max_tokens: 4, ignore_eos: true });
    const text = await (await fetch(`${main.url}/metrics`)).text();
    expect(text).toMatch(/macprovider_requests_total\{route="\/v1\/completions",status="200"\} \d+/);
    expect(text).toMatch(/macprovider_generated_tokens_total [1-9]\d*/);
    expect(text).toMatch(/macprovider_ttft_seconds_count [1-9]/);
    expect(text).toMatch(/macprovider_decode_tokens_per_second_bucket\{le="\+Inf"\} [1-9]/);
    expect(text).toContain("macprovider_queue_depth 0");
  });

  test("two concurrent streams run at once with max-batch 2", async () => {
    const body = { prompt: "Once", max_tokens: 200, ignore_eos: true, stream: true };
    const [a, b] = await Promise.all([post(main.url, "/v1/completions", body), post(main.url, "/v1/completions", body)]);
    const cap = await json(await fetch(`${main.url}/v1/capacity`));
    expect(cap.in_flight).toBe(2);
    expect(cap.queued).toBe(0);
    await Promise.all([a.text(), b.text()]);
  });
});

describe("serve: logit_bias", () => {
  const vocab = () => readGgufHeaderFile(modelPath).metadata.get("tokenizer.ggml.tokens") as string[];
  const body = { prompt: "Once upon a time", max_tokens: 24, temperature: 0, ignore_eos: true, cache_prompt: false };
  const complete = async (extra: Record<string, unknown>) => (await json(await post(main.url, "/v1/completions", { ...body, ...extra }))).choices[0];

  test("logit_bias false (llama-server's pairs) or -100 (OpenAI's object) bans tokens: byte tokens ≥ 0x80 never come out", async () => {
    const highBytes = vocab().flatMap((t, id) => (/^<0x[89A-F][0-9A-F]>$/.test(t) ? [id] : []));
    expect((await complete({})).text).toContain("\uFFFD"); // unbiased, this greedy output has broken bytes
    expect((await complete({ logit_bias: highBytes.map((id) => [id, false]) })).text).not.toContain("\uFFFD");
    expect((await complete({ logit_bias: Object.fromEntries(highBytes.map((id) => [String(id), -100])) })).text).not.toContain("\uFFFD");
  });

  test("logit_bias 100 makes a token the greedy choice at every step", async () => {
    const id = vocab().findIndex((t) => /^[a-z]{2,}$/.test(t)); // a plain piece, no space marker
    expect(id).toBeGreaterThan(0);
    expect((await complete({ logit_bias: { [id]: 100 }, max_tokens: 5 })).text).toBe(vocab()[id]!.repeat(5));
  });

  test("logit_bias applies to the end-of-generation token too: 100 on it ends the answer at once", async () => {
    const eos = vocab().indexOf("</s>");
    const r = await json(await post(main.url, "/v1/completions", { ...body, ignore_eos: false, logit_bias: { [eos]: 100 } }));
    expect(r.choices[0]).toMatchObject({ text: "", finish_reason: "stop" });
    expect(r.usage.completion_tokens).toBe(0);
  });

  test("a grammar still gets its way when logit_bias bans every token it allows (false = never, unless the grammar needs it)", async () => {
    const r = await json(await post(main.url, "/v1/chat/completions", {
      messages: [{ role: "user", content: "a JSON object" }], max_tokens: 6, temperature: 0, response_format: { type: "json_object" },
      logit_bias: vocab().map((_, id) => [id, false]),
    }));
    expect(r.error).toBeUndefined();
    expect(r.choices[0].message.content.startsWith("{")).toBe(true);
  });

  test("a logit_bias token outside the vocabulary gets 400 naming logit_bias and the id range", async () => {
    const res = await post(main.url, "/v1/completions", { ...body, logit_bias: { "99999": 1 } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ param: "logit_bias", code: "invalid_value", message: `logit_bias: token 99999 is not in this model's vocabulary (ids 0 to ${vocab().length - 1})` });
  });
});

describe("serve: context gate (max-context 64)", () => {
  let s: ServeProcess;
  beforeAll(async () => { s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "64"]); });
  afterAll(async () => { await s?.stop(); });

  // fx models: BOS + one token per "x" (no merged piece contains x).
  test("a prompt exactly at the limit is served", async () => {
    const res = await post(s.url, "/v1/completions", { prompt: "x".repeat(63), max_tokens: 10 });
    expect(res.status).toBe(200);
    const out = await json(res);
    expect(out.usage.prompt_tokens).toBe(64);
    expect(out.usage.completion_tokens).toBe(0); // the window is full: nothing left to generate
    expect(out.choices[0].finish_reason).toBe("length");
  });

  test("a prompt one token over the limit gets 413 context_length_exceeded with n_prompt_tokens and n_ctx", async () => {
    const res = await post(s.url, "/v1/completions", { prompt: "x".repeat(64), max_tokens: 10 });
    expect(res.status).toBe(413);
    expect((await json(res)).error).toMatchObject({ code: "context_length_exceeded", n_prompt_tokens: 65, n_ctx: 64 });
  });

  test("a prompt plus max_tokens past the window is capped, never a crash", async () => {
    const res = await post(s.url, "/v1/completions", { prompt: "x".repeat(50), max_tokens: 1000, ignore_eos: true });
    const out = await json(res);
    expect(out.usage.completion_tokens).toBe(64 - 51);
    expect(out.choices[0].finish_reason).toBe("length");
  });
});

describe("serve: queue, busy and disconnects (max-batch 1, max-queue 1)", () => {
  let s: ServeProcess;
  beforeAll(async () => { s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "32768", "--max-batch", "1", "--max-queue", "1"]); });
  afterAll(async () => { await s?.stop(); });

  const capacity = async () => json(await fetch(`${s.url}/v1/capacity`));
  const waitFor = async (check: (c: { in_flight: number; queued: number }) => boolean) => {
    for (let i = 0; i < 200 && !check(await capacity()); i++) await Bun.sleep(25);
    return capacity();
  };
  // Long enough that nothing below can be waiting for it to end naturally.
  const long = { prompt: "Once", max_tokens: 30000, ignore_eos: true, stream: true };

  test("one runs, one queues, the next gets 503 server_busy with Retry-After", async () => {
    const a = await post(s.url, "/v1/completions", long);
    const reader = a.body!.getReader();
    await reader.read(); // generating
    const queued = post(s.url, "/v1/completions", { prompt: "q", max_tokens: 2 });
    expect(await waitFor((c) => c.queued === 1)).toMatchObject({ in_flight: 1, queued: 1 });
    const busy = await post(s.url, "/v1/completions", { prompt: "b", max_tokens: 2 });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect((await json(busy)).error.code).toBe("server_busy");
    await reader.cancel(); // disconnect: frees the sequence for the queued request
    expect((await queued).status).toBe(200);
  });

  test("a client that disconnects frees its sequence at once", async () => {
    const controller = new AbortController();
    const res = await fetch(`${s.url}/v1/completions`, { method: "POST", body: JSON.stringify(long), signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    expect((await capacity()).in_flight).toBe(1);
    controller.abort();
    const started = performance.now();
    const next = await post(s.url, "/v1/completions", { prompt: "next", max_tokens: 4, ignore_eos: true });
    expect(next.status).toBe(200);
    expect((await json(next)).usage.completion_tokens).toBe(4);
    // 30000 tokens would take minutes; the next request ran right after the abort.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await waitFor((c) => c.in_flight === 0)).toMatchObject({ in_flight: 0, queued: 0 });
  });

  test("a queued client that disconnects leaves the queue at once (counted as 499)", async () => {
    const left = async () => Number(/macprovider_requests_total\{route="\/v1\/completions",status="499"\} (\d+)/.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0);
    const a = await post(s.url, "/v1/completions", long);
    const reader = a.body!.getReader();
    await reader.read();
    const before = await left();
    const controller = new AbortController();
    const queued = fetch(`${s.url}/v1/completions`, { method: "POST", body: JSON.stringify({ prompt: "q", max_tokens: 2 }), signal: controller.signal }).catch(() => null);
    await waitFor((c) => c.queued === 1);
    controller.abort();
    await queued;
    expect(await waitFor((c) => c.queued === 0)).toMatchObject({ in_flight: 1, queued: 0 });
    expect(await left()).toBe(before + 1);
    await reader.cancel(); // the running stream's client leaves too: one more 499 once it has ended
    await waitFor((c) => c.in_flight === 0);
    for (let i = 0; i < 40 && (await left()) < before + 2; i++) await Bun.sleep(25);
    expect(await left()).toBe(before + 2);
  });

  test("a non-streaming client that disconnects frees its sequence too", async () => {
    const controller = new AbortController();
    const pending = fetch(`${s.url}/v1/completions`, { method: "POST", body: JSON.stringify({ ...long, stream: false }), signal: controller.signal }).catch(() => null);
    await waitFor((c) => c.in_flight === 1);
    controller.abort();
    await pending;
    expect(await waitFor((c) => c.in_flight === 0)).toMatchObject({ in_flight: 0 });
  });
});

describe("serve: API key", () => {
  let s: ServeProcess;
  beforeAll(async () => { s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "512"], isolatedEnv({ MACPROVIDER_API_KEY: "sekret" })); });
  afterAll(async () => { await s?.stop(); });

  test("with api_key set, /v1/* needs the bearer key; /health stays open", async () => {
    expect((await fetch(`${s.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/models`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(`${s.url}/v1/models`, { headers: { authorization: "Bearer sekret" } })).status).toBe(200);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });
});

describe("serve: shutdown", () => {
  test("SIGTERM lets an in-flight request finish, refuses new ones and exits 0", async () => {
    const s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "4096", "--grace-ms", "60000"]);
    const res = await post(s.url, "/v1/completions", { prompt: "Once", max_tokens: 400, ignore_eos: true, stream: true, stream_options: { include_usage: true } });
    const body = res.text();
    await Bun.sleep(50);
    s.proc.kill("SIGTERM");
    await Bun.sleep(50);
    // Draining: a new connection is refused, or answered 503 if it raced the listener's close.
    const late = await fetch(`${s.url}/v1/models`).then((r) => r.status, () => "refused");
    expect([503, "refused"]).toContain(late);
    const events = (await body).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(JSON.parse(events.at(-2)!.slice(6)).usage.completion_tokens).toBe(400);
    expect(await s.proc.exited).toBe(0);
    await expect(fetch(`${s.url}/health`)).rejects.toThrow();
  });

  test("SIGTERM lets an in-flight non-streaming request finish with its 200", async () => {
    const s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "4096", "--grace-ms", "60000"]);
    const pending = post(s.url, "/v1/completions", { prompt: "Once", max_tokens: 300, ignore_eos: true });
    await Bun.sleep(100);
    s.proc.kill("SIGTERM");
    const res = await pending;
    expect(res.status).toBe(200);
    expect((await json(res)).usage.completion_tokens).toBe(300);
    expect(await s.proc.exited).toBe(0);
  });

  test("SIGTERM while the model is loading exits 0 without ever becoming ready", async () => {
    // fx-80m with 8 sequences of 32k context takes far longer to load than a signal takes to arrive.
    const big = (await testFixture("fx-80m")).path;
    const proc = spawnServe(["--model", big, "--port", "0", "--max-context", "32768", "--max-batch", "8", "--threads", "1"]);
    const reader = proc.stdout.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"event":"listening"');
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(first + rest).not.toContain('"event":"ready"'); // the signal provably came during the load
  });

  test("SIGTERM refuses a queued request with 503 shutting_down and lets the running one finish", async () => {
    const s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "4096", "--max-batch", "1", "--grace-ms", "60000"]);
    const running = post(s.url, "/v1/completions", { prompt: "Once", max_tokens: 300, ignore_eos: true });
    await Bun.sleep(100);
    const queued = post(s.url, "/v1/completions", { prompt: "Twice", max_tokens: 5 });
    await Bun.sleep(100);
    s.proc.kill("SIGTERM");
    const refused = await queued;
    expect(refused.status).toBe(503);
    expect((await json(refused)).error.code).toBe("shutting_down");
    expect((await running).status).toBe(200);
    expect(await s.proc.exited).toBe(0);
  });

  test("SIGTERM cuts a non-streaming request still running at the end of the grace period with 503 shutting_down", async () => {
    const s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "32768", "--grace-ms", "200"]);
    const pending = post(s.url, "/v1/completions", { prompt: "Once", max_tokens: 30000, ignore_eos: true });
    await Bun.sleep(100);
    s.proc.kill("SIGTERM");
    const res = await pending;
    expect(res.status).toBe(503);
    expect((await json(res)).error).toMatchObject({ code: "shutting_down", type: "server_error" });
    expect(await s.proc.exited).toBe(0);
  });

  test("SIGTERM aborts what is still running when the grace period is over, and exits 0", async () => {
    const s = await startServe(["--model", modelPath, "--threads", "1", "--max-context", "32768", "--grace-ms", "200"]);
    const res = await post(s.url, "/v1/completions", { prompt: "Once", max_tokens: 30000, ignore_eos: true, stream: true });
    const body = res.text().catch(() => "");
    await Bun.sleep(100);
    s.proc.kill("SIGTERM");
    expect(await s.proc.exited).toBe(0);
    expect(s.stderr()).toContain("1 generation(s) aborted at the end of the grace period");
    const text = await body;
    expect(text).not.toContain("[DONE]");
    expect(text).toContain('"code":"shutting_down"'); // cut by the shutdown, said in-band

  });
});

// The decisions are unit-tested (plan-serve, resolve-serve-config, load-yaml-config); these prove
// the process contract: exit 78, one line on stderr, nothing on stdout (never listened, never loaded).
describe("serve: preflight (exit 78, nothing loaded)", () => {
  const dir = tempDir();
  const badYaml = join(dir, "bad.yaml");
  writeFileSync(badYaml, "kv_bits: [4\nthreads: 2\n");

  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["--kv-bits 7", ["--kv-bits", "7"], {}, /--kv-bits \(CLI\) has invalid value "7"; allowed: 4, 8 or none/],
    ["a non-numeric env value", [], { MACPROVIDER_MAX_BATCH: "two" }, /MACPROVIDER_MAX_BATCH \(env\) has invalid value "two"/],
    ["a bad inline-decode cap", [], { MACPROVIDER_INLINE_DECODE_MS: "-5" }, /MACPROVIDER_INLINE_DECODE_MS \(env\) has invalid value "-5"; allowed: milliseconds from 0/],
    ["malformed YAML", ["--config", badYaml], {}, /config file .*bad\.yaml is not valid YAML at line \d+/],
  ];

  test.each(cases)("%s", async (_, args, env, message) => {
    const proc = spawnServe(["--model", modelPath, "--port", "0", ...args], isolatedEnv(env));
    expect(await proc.exited).toBe(78);
    const err = await new Response(proc.stderr).text();
    expect(err).toMatch(message);
    expect(err.trim().split("\n").length).toBe(1);
    expect(await new Response(proc.stdout).text()).toBe(""); // never listened, never loaded
  });

  test("a model failing the integrity check", async () => {
    const copies = corruptCopies((await testFixture("fx-1m")).path, tempDir());
    const proc = spawnServe(["--model", copies.truncated, "--port", "0"]);
    expect(await proc.exited).toBe(78);
    expect(await new Response(proc.stderr).text()).toMatch(/--model \(CLI\): model file .*truncated\.gguf failed the integrity check \(tensor_out_of_bounds\)/);
  });

  test("a port in use exits 78 naming --port", async () => {
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const proc = spawnServe(["--model", modelPath, "--port", String(holder.port), "--max-context", "512"]);
      expect(await proc.exited).toBe(78);
      expect(await new Response(proc.stderr).text()).toContain(`--port (CLI): port ${holder.port} on 127.0.0.1 is already in use`);
    } finally {
      holder.stop(true);
    }
  });

  test("a misspelled option exits 64 naming it instead of serving the default", async () => {
    const proc = spawnServe(["--model", modelPath, "--max-contxt", "512"]);
    expect(await proc.exited).toBe(64);
    expect(await new Response(proc.stderr).text()).toContain("serve: unknown option --max-contxt");
  });

  test("no model at all", async () => {
    const proc = spawnServe(["--port", "0"]);
    expect(await proc.exited).toBe(78);
    expect(await new Response(proc.stderr).text()).toMatch(/model: no model given/);
  });

  test("serve --help lists every knob with its env name and default", async () => {
    const proc = spawnServe(["--help"]);
    expect(await proc.exited).toBe(0);
    const help = await new Response(proc.stdout).text();
    expect(SERVE_KNOBS.length).toBe(14);
    for (const knob of SERVE_KNOBS) {
      expect(help).toContain(`--${knob.flag}`);
      expect(help).toContain(knob.env);
    }
    expect(help).toContain("Defaults to 1.");
    expect(help).toContain("--kv-bits");
  });
});

describe("serve: YAML config", () => {
  test("serve reads knobs from the default config path, with a relative model path", async () => {
    const env = isolatedEnv();
    const configDir = join(env.XDG_CONFIG_HOME!, "macprovider");
    mkdirSync(configDir, { recursive: true });
    // The model sits beside the config file and is named relative to it.
    copyFileSync(modelPath, join(configDir, "local-model.gguf"));
    await Bun.write(join(configDir, "config.yaml"), `# my provider\nmodel: ./local-model.gguf\nkv_bits: 8\nmax_concurrency_override: 3\nthreads: 1\nmax_context_override: 1024\n`);
    const s = await startServe([], env);
    try {
      const cap = await json(await fetch(`${s.url}/v1/capacity`));
      expect(cap).toMatchObject({ model: "local-model", kv_bits: 8, max_batch: 3, max_context: 1024, flash_attention_effective: true });
      expect(cap.sources).toMatchObject({ kv_bits: "yaml", max_concurrency_override: "yaml" });
    } finally {
      await s.stop();
    }
  });
});
