/**
 * Structured output and tool calls through the official `openai` client against a real serve on a
 * random-weight fixture: the grammar alone makes the answers well-formed, so they must parse and
 * validate (ajv) against the schema exactly as the client wrote it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv from "ajv";
import OpenAI from "openai";
import { testFixture } from "../../helpers/fixtures.ts";
import { isolatedEnv, startServe, type ServeProcess } from "../../helpers/serve-process.ts";

let s: ServeProcess;
let client: OpenAI;
beforeAll(async () => {
  const model = (await testFixture("fx-8m")).path;
  s = await startServe(["--model", model, "--threads", "1", "--max-context", "4096"], isolatedEnv({ MACPROVIDER_MAX_BATCH: "2" }));
  client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
afterAll(async () => {
  await s?.stop();
});

// Bounded strings keep random weights from writing one string for hundreds of tokens.
const PERSON = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 12 },
    age: { type: "integer" },
    member: { type: "boolean" },
    color: { enum: ["red", "green", "blue"] },
    tags: { type: "array", items: { type: "string", maxLength: 6 }, maxItems: 3 },
    score: { anyOf: [{ type: "number" }, { type: "null" }] },
  },
  required: ["name", "age", "member", "color", "tags", "score"],
  additionalProperties: false,
};
const WEATHER = { type: "object", properties: { city: { type: "string", maxLength: 12 }, unit: { enum: ["c", "f"] }, days: { type: "integer" } }, required: ["city", "unit", "days"], additionalProperties: false };
const CLOCK = { type: "object", properties: { zone: { type: "string", maxLength: 8 } }, required: ["zone"], additionalProperties: false };
const TOOLS: OpenAI.ChatCompletionFunctionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: WEATHER } },
  { type: "function", function: { name: "get_time", description: "Time in a zone", parameters: CLOCK } },
];
const PARAMS: Record<string, object> = { get_weather: WEATHER, get_time: CLOCK };

const ajv = new Ajv({ strict: false });
const valid = (schema: object, value: unknown) => {
  const check = ajv.compile(schema);
  if (!check(value)) throw new Error(`${JSON.stringify(value)} fails the schema: ${ajv.errorsText(check.errors)}`);
  return true;
};
const ask = [{ role: "user" as const, content: "Describe a person as JSON." }];
const seeds = [1, 2, 3, 4];

describe("serve: response_format through the openai client", () => {
  test.each(seeds)("a json_schema answer validates, plain and streamed (seed %p)", async (seed) => {
    const request = { model: "fx-8m", messages: ask, max_tokens: 400, seed, response_format: { type: "json_schema" as const, json_schema: { name: "person", schema: PERSON, strict: true } } };
    const plain = await client.chat.completions.create(request);
    expect(plain.choices[0]!.finish_reason).toBe("stop");
    expect(valid(PERSON, JSON.parse(plain.choices[0]!.message.content!))).toBe(true);
    let streamed = "";
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) streamed += chunk.choices[0]?.delta.content ?? "";
    expect(valid(PERSON, JSON.parse(streamed))).toBe(true);
  });

  test("chat.completions.parse() hands back the parsed object", async () => {
    const r = await client.chat.completions.parse({ model: "fx-8m", messages: ask, max_tokens: 400, seed: 9, response_format: { type: "json_schema", json_schema: { name: "person", schema: PERSON, strict: true } } });
    expect(valid(PERSON, r.choices[0]!.message.parsed)).toBe(true);
  });

  test("a text completion follows the schema too", async () => {
    const r = await client.completions.create({ model: "fx-8m", prompt: "JSON:", max_tokens: 400, seed: 5, response_format: { type: "json_schema", json_schema: { name: "p", schema: PERSON } } } as OpenAI.CompletionCreateParamsNonStreaming);
    expect(valid(PERSON, JSON.parse(r.choices[0]!.text))).toBe(true);
  });

  test("json_object answers that finish are JSON objects", async () => {
    const answers = await Promise.all(seeds.map((seed) => client.chat.completions.create({ model: "fx-8m", messages: ask, max_tokens: 300, seed, response_format: { type: "json_object" } })));
    const finished = answers.filter((a) => a.choices[0]!.finish_reason === "stop");
    expect(finished.length).toBeGreaterThan(0);
    for (const a of finished) expect(valid({ type: "object" }, JSON.parse(a.choices[0]!.message.content!))).toBe(true);
  });

  test("ignore_eos does not run past a complete JSON answer", async () => {
    const r = await client.chat.completions.create({ model: "fx-8m", messages: ask, max_tokens: 400, seed: 3, ignore_eos: true, response_format: { type: "json_schema", json_schema: { name: "c", schema: CLOCK } } } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(r.choices[0]!.finish_reason).toBe("stop");
    expect(r.usage!.completion_tokens).toBeLessThan(400);
    expect(valid(CLOCK, JSON.parse(r.choices[0]!.message.content!))).toBe(true);
  });

  test.each([
    [{ type: "object", properties: { id: { type: "string", pattern: "^[a-z]+$" } } }, "response_format.json_schema.schema.properties.id.pattern"],
    [{ type: "object", properties: { n: { type: "integer", minimum: 1 } } }, "response_format.json_schema.schema.properties.n.minimum"],
    [{ allOf: [{ type: "object" }, { type: "object" }] }, "response_format.json_schema.schema.allOf"],
  ])("a schema the grammar cannot enforce is a 400 naming the part (%#)", async (schema, param) => {
    const error = await client.chat.completions.create({ model: "fx-8m", messages: ask, response_format: { type: "json_schema", json_schema: { name: "x", schema } } }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe(param);
    expect(error.code).toBe("invalid_value");
  });
});

describe("serve: tool calls through the openai client", () => {
  const weather = [{ role: "user" as const, content: "What is the weather in Paris?" }];
  const call = (r: OpenAI.ChatCompletion) => r.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;

  test.each(seeds)("tool_choice required makes a call whose arguments validate (seed %p)", async (seed) => {
    const r = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: "required", max_tokens: 300, seed });
    expect(r.choices[0]!.finish_reason).toBe("tool_calls");
    expect(r.choices[0]!.message.content).toBeNull();
    const c = call(r);
    expect(c.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(Object.keys(PARAMS)).toContain(c.function.name);
    expect(c.function.arguments).not.toContain("\uFFFD");
    expect(valid(PARAMS[c.function.name]!, JSON.parse(c.function.arguments))).toBe(true);
  });

  test("a named function is the one called", async () => {
    for (const name of ["get_time", "get_weather"]) {
      const r = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: { type: "function", function: { name } }, max_tokens: 300, seed: 11 });
      expect(call(r).function.name).toBe(name);
      expect(valid(PARAMS[name]!, JSON.parse(call(r).function.arguments))).toBe(true);
    }
  });

  test("chat.completions.stream() assembles the streamed call", async () => {
    const stream = client.chat.completions.stream({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: "required", max_tokens: 300, seed: 4 });
    const done: { name: string; arguments: string }[] = [];
    stream.on("tool_calls.function.arguments.done", (e) => done.push({ name: e.name, arguments: e.arguments }));
    const final = await stream.finalChatCompletion();
    const c = call(final);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(done).toEqual([{ name: c.function.name, arguments: c.function.arguments }]);
    expect(valid(PARAMS[c.function.name]!, JSON.parse(c.function.arguments))).toBe(true);
  });

  test("runTools() runs the named function with the parsed arguments", async () => {
    const calls: unknown[] = [];
    const runner = client.chat.completions.runTools({
      model: "fx-8m", messages: weather, max_tokens: 300, seed: 6, stream: true,
      tool_choice: { type: "function", function: { name: "get_weather" } },
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: WEATHER, parse: JSON.parse, function: (args: unknown) => (calls.push(args), { temperature: 21 }) } }],
    });
    await runner.done();
    expect(calls.length).toBe(1);
    expect(valid(WEATHER, calls[0])).toBe(true);
    expect(runner.messages.at(-1)).toMatchObject({ role: "tool", content: "{\"temperature\":21}" });
  });

  test("a conversation that sends back the call and its result goes on, through the template", async () => {
    const first = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: { type: "function", function: { name: "get_weather" } }, max_tokens: 300, seed: 2 });
    const c = call(first);
    const messages: OpenAI.ChatCompletionMessageParam[] = [...weather, first.choices[0]!.message, { role: "tool", tool_call_id: c.id, content: "{\"temperature\": 21}" }];
    const answer = await client.chat.completions.create({ model: "fx-8m", messages, tools: TOOLS, tool_choice: "none", max_tokens: 8 });
    expect(answer.choices[0]!.message.role).toBe("assistant");
    expect(typeof answer.choices[0]!.message.content).toBe("string");
    const again = await client.chat.completions.create({ model: "fx-8m", messages, tools: TOOLS, tool_choice: "required", max_tokens: 300, seed: 3 });
    expect(valid(PARAMS[call(again).function.name]!, JSON.parse(call(again).function.arguments))).toBe(true);
    // The call and its result are part of the prompt.
    expect(again.usage!.prompt_tokens).toBeGreaterThan(first.usage!.prompt_tokens + c.function.arguments.length / 2);
  });

  test("stop strings never cut a call", async () => {
    const r = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: "required", max_tokens: 300, seed: 8, stop: ["\"", ":", "}", "("] });
    expect(r.choices[0]!.finish_reason).toBe("tool_calls");
    expect(valid(PARAMS[call(r).function.name]!, JSON.parse(call(r).function.arguments))).toBe(true);
  });

  test("max_tokens inside a call ends it with finish_reason length and the partial arguments", async () => {
    const r = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: { type: "function", function: { name: "get_weather" } }, max_tokens: 6, seed: 1 });
    expect(r.choices[0]!.finish_reason).toBe("length");
    expect(r.usage!.completion_tokens).toBe(6);
    expect(call(r).function.name).toBe("get_weather");
    expect(() => JSON.parse(call(r).function.arguments)).toThrow();
  });

  test("two constrained requests batch side by side", async () => {
    const json = client.chat.completions.create({ model: "fx-8m", messages: ask, max_tokens: 400, seed: 21, response_format: { type: "json_schema", json_schema: { name: "p", schema: PERSON } } });
    const tool = client.chat.completions.create({ model: "fx-8m", messages: weather, tools: TOOLS, tool_choice: "required", max_tokens: 300, seed: 22 });
    const [a, b] = await Promise.all([json, tool]);
    expect(valid(PERSON, JSON.parse(a.choices[0]!.message.content!))).toBe(true);
    expect(valid(PARAMS[call(b).function.name]!, JSON.parse(call(b).function.arguments))).toBe(true);
  });

  test("a client that leaves in the middle of a call frees its sequence", async () => {
    const controller = new AbortController();
    const long = { type: "function" as const, function: { name: "note", parameters: { type: "object", properties: { text: { type: "string" } } } } };
    const stream = await client.chat.completions.create({ model: "fx-8m", messages: weather, tools: [long], tool_choice: "required", max_tokens: 3000, stream: true }, { signal: controller.signal });
    let argumentChunks = 0;
    await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments) argumentChunks++;
        if (argumentChunks === 3) controller.abort();
      }
    })().catch(() => {});
    expect(argumentChunks).toBe(3);
    let cap: { in_flight: number } = { in_flight: -1 };
    for (let i = 0; i < 200 && cap.in_flight !== 0; i++) {
      cap = await (await fetch(`${s.url}/v1/capacity`)).json() as { in_flight: number };
      if (cap.in_flight !== 0) await Bun.sleep(25);
    }
    expect(cap.in_flight).toBe(0);
  });

  test.each([
    ["/completions", { prompt: "x", tools: TOOLS }, "tools"],
    ["/chat/completions", { messages: weather, tools: TOOLS, response_format: { type: "json_object" } }, "response_format"],
    ["/chat/completions", { messages: weather, tools: TOOLS, tool_choice: { type: "function", function: { name: "nope" } } }, "tool_choice"],
  ])("%s with %o is a 400 naming %p", async (path, body, param) => {
    const res = await fetch(`${s.url}/v1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe(param);
  });
});
