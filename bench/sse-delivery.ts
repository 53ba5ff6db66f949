/**
 * `bun bench/sse-delivery.ts [threads]`: how serve's SSE events reach a client, with decode steps
 * inline (the local build's default, lib/engine/inline-decode-policy.ts) and with every decode on the
 * worker job (MACPROVIDER_INLINE_DECODE_MS=0). fx-80m, one stream of 48 tokens, 3 rounds × 4
 * requests, servers interleaved. Per request: the client's TTFT, and the share of events that came
 * less than 1 ms after the one before (written a step apart, so ~0 when each is delivered as written;
 * ~0.8 was the burst pattern Bun's corked writes made before inline steps yielded to the poll).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureByName } from "../lib/fixtures/io/fixture-by-name.ts";
import { fixturesDir } from "../lib/host/io/paths.ts";
import { median } from "./_shared.ts";
import { startServe } from "./aggregate.ts";

const threads = Number(process.argv[2] ?? 2);
const fixture = await fixtureByName(fixturesDir(), "fx-80m");
const VARIANTS: Record<string, Record<string, string>> = { "serve-local": {}, "serve-local-job": { MACPROVIDER_INLINE_DECODE_MS: "0" } };
const samples: { tool: string; round: number; ttft_ms: number; events: number; burst_share: number; max_gap_ms: number }[] = [];

for (let round = 0; round < 3; round++) {
  for (const [tool, env] of Object.entries(VARIANTS)) {
    const server = await startServe("local", fixture.path, 1, threads, 1024, env);
    try {
      for (let r = 0; r < 4; r++) {
        const got = await arrivals(server.url);
        if (r === 0) continue; // warm-up
        const gaps = got.slice(1).map((t, i) => t - got[i]!);
        samples.push({ tool, round, ttft_ms: got[0]!, events: got.length, burst_share: gaps.filter((g) => g < 1).length / gaps.length, max_gap_ms: Math.max(...gaps) });
      }
    } finally {
      await server.stop();
    }
  }
}

/** When each SSE event reached the client, in ms since the request was sent. */
async function arrivals(url: string): Promise<number[]> {
  const body = { prompt: "Once upon a time there was a local provider that served the world with tokens.", max_tokens: 48, temperature: 0, ignore_eos: true, stream: true, cache_prompt: false };
  const started = performance.now();
  const res = await fetch(`${url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const out: number[] = [];
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    const at = performance.now() - started;
    const frames = (buffered + decoder.decode(value, { stream: true })).split("\n\n");
    buffered = frames.pop()!;
    for (const frame of frames) if (frame.startsWith("data:") && !frame.includes("[DONE]")) out.push(at);
  }
}

const table = Object.keys(VARIANTS).map((tool) => {
  const s = samples.filter((x) => x.tool === tool);
  return { tool, n: s.length, ttft_ms: median(s.map((x) => x.ttft_ms)), burst_share: median(s.map((x) => x.burst_share)), max_gap_ms: median(s.map((x) => x.max_gap_ms)) };
});
const file = join(import.meta.dir, "results", `sse-delivery-${fixture.name}-t${threads}.json`);
mkdirSync(join(import.meta.dir, "results"), { recursive: true });
writeFileSync(file, JSON.stringify({ bench: "sse-delivery", date: new Date().toISOString(), fixture: fixture.name, threads, table, samples }, null, 2) + "\n");
console.log(JSON.stringify(table, null, 2));
process.exit(0);
