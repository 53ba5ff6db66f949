/**
 * One replicate of one Stage 2 cell (S2-2): a fresh serve started with the cell's knobs, one untimed
 * warm-up, then B concurrent fixed-length streaming requests for max_batch B. Aggregate decode tok/s
 * is every token after each stream's first, over the window from the first first token to the last
 * stream's end (prompt processing is what the TTFT gate measures).
 */
import { probeCompletion } from "../../probe/io/probe-completion.ts";
import type { Stage2Cell } from "../stage2-cells.ts";
import type { CellReplicate } from "../stage2-summary.ts";
import { stage1ProbeRequest } from "../stage1-probe-request.ts";
import { startCandidateServe, stopCandidateServe } from "./candidate-serve.ts";

export type MeasureCellOptions = {
  gateTtftMs: number;
  /** Replicates a cell can get (stage2_replicates): decides when a slow first token is already hopeless. */
  replicates: number;
  /** Tokens each stream generates (ignore_eos). */
  maxTokens: number;
  /** Prompt sentences (Stage 1's prompt: about 530 tokens at 12 on the fixtures). */
  sentences?: number;
  loadTimeoutMs: number;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
};

/** How long a stream may run after its first-token deadline before it is aborted. */
const STREAM_LIMIT_MS = 120_000;

export function cellServeArgs(cell: Stage2Cell): string[] {
  return [
    "--max-context", String(cell.max_context), "--max-batch", String(cell.max_batch), "--threads", String(cell.threads),
    "--flash-attention", cell.flash_attention, "--engine", cell.engine,
    ...(cell.kv_bits === null ? [] : ["--kv-bits", String(cell.kv_bits)]),
    // With a GPU the cell names its backend: a cell never runs on another one than the recipe says.
    ...(cell.gpu === undefined ? [] : ["--gpu", cell.gpu, "--gpu-layers", String(cell.gpu_layers ?? "auto")]),
  ];
}

export async function measureCell(modelPath: string, cell: Stage2Cell, options: MeasureCellOptions): Promise<CellReplicate> {
  let serve;
  try {
    serve = await startCandidateServe(modelPath, cellServeArgs(cell), options);
  } catch (error) {
    return failed(`serve did not start: ${(error as Error).message}`);
  }
  try {
    const url = `${serve.url}/v1/chat/completions`;
    // The warm-up only has to run llama.cpp's first decode (buffer allocation): a short prompt does.
    const warm = await stream(url, 0, { ...options, maxTokens: 4, sentences: 1 }, Math.max(3 * options.gateTtftMs, 30_000));
    if (!warm.ok) return failed(`warm-up failed: ${warm.error}`);
    if (options.signal?.aborted) return failed("interrupted");
    const started = performance.now();
    // With fewer than 20 streams over all replicates, the nearest-rank p95 is the slowest stream: one
    // with no first token by the gate makes the cell infeasible, so waiting longer measures nothing.
    const hopelessAfterMs = cell.max_batch * options.replicates < 20 ? options.gateTtftMs : 3 * options.gateTtftMs;
    const results = await Promise.all(Array.from({ length: cell.max_batch }, (_, i) => stream(url, i + 1, options, hopelessAfterMs).then((r) => ({ ...r, endedAt: performance.now() }))));
    const bad = results.find((r) => !r.ok);
    if (bad) return { ...failed(bad.error ?? "a stream failed"), ttfts_ms: results.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs])) };
    const decoded = results.reduce((a, r) => a + Math.max(0, (r.completionTokens ?? 0) - 1), 0);
    const windowS = (Math.max(...results.map((r) => r.endedAt)) - (started + Math.min(...results.map((r) => r.ttftMs!)))) / 1000;
    return { ok: true, tps: windowS > 0 ? decoded / windowS : null, ttfts_ms: results.map((r) => r.ttftMs!), error: null };
  } finally {
    await stopCandidateServe(serve);
  }
}

function stream(url: string, n: number, options: MeasureCellOptions, firstTokenTimeoutMs: number) {
  const limit = AbortSignal.timeout(firstTokenTimeoutMs + STREAM_LIMIT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, limit]) : limit;
  const body = stage1ProbeRequest(n, { maxTokens: options.maxTokens, sentences: options.sentences });
  return probeCompletion(url, body, { firstTokenTimeoutMs, signal });
}

function failed(error: string): CellReplicate {
  return { ok: false, tps: null, ttfts_ms: [], error };
}
