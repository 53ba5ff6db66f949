/**
 * Measures one Stage 1 candidate (S1-2): starts it as a real `serve --no-join` subprocess on a free
 * loopback port, waits for readiness, sends one untimed warm-up and the timed streaming replicates,
 * and always stops it. Deciding what the figures mean is judgeCandidate's job.
 */
import { readGgufHeaderFile } from "../../gguf/io/read-gguf-header-file.ts";
import { ggufSpecialTexts } from "../../probe/gguf-special-texts.ts";
import { probeCompletion } from "../../probe/io/probe-completion.ts";
import type { ServeProcess } from "../../serve/io/start-serve-process.ts";
import type { CandidateMeasurement, RequestOutcome } from "../judge-candidate.ts";
import { judgeHopeless } from "../judge-hopeless.ts";
import type { Stage1Options } from "../stage1-options.ts";
import { stage1ProbeRequest } from "../stage1-probe-request.ts";
import { startCandidateServe, stopCandidateServe } from "./candidate-serve.ts";

export type ProbeCandidateOptions = Stage1Options & {
  /** Stops the probe between requests (and the request in flight); serve is stopped all the same. */
  signal?: AbortSignal;
  /** The environment serve starts from (its knob variables are removed). Defaults to this process's. */
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
};

export type CandidateProbe = CandidateMeasurement & {
  /** The model's control-token texts, for the leak check. */
  specials: string[];
};

/** The untimed warm-up may be slower than the gate allows (first-request effects), but not hopelessly. */
const WARMUP_FIRST_TOKEN_MIN_MS = 30_000;
/** How long a stream may run after its first token before it is aborted. */
const STREAM_LIMIT_MS = 120_000;

export async function probeCandidate(modelPath: string, options: ProbeCandidateOptions): Promise<CandidateProbe> {
  const log = options.log ?? (() => {});
  const specials = modelSpecialTexts(modelPath);
  const startedAt = performance.now();
  let serve: ServeProcess;
  try {
    const knobs = ["--max-context", String(options.targetContext), "--max-batch", "1", "--threads", String(options.threads)];
    serve = await startCandidateServe(modelPath, knobs, { env: options.env, loadTimeoutMs: options.loadTimeoutMs });
  } catch (error) {
    return { ready: false, readyError: (error as Error).message, loadMs: null, warmup: null, replicates: [], specials };
  }
  const loadMs = Math.round(performance.now() - startedAt);
  log(`ready in ${loadMs} ms`);
  const measurement: CandidateProbe = { ready: true, readyError: null, loadMs, warmup: null, replicates: [], specials };
  try {
    if (options.signal?.aborted) return measurement;
    measurement.warmup = await request(serve.url, 0, { ...options, maxTokens: 4 });
    if (!measurement.warmup.ok) return measurement;
    for (let j = 1; j <= options.replicates && !options.signal?.aborted; j++) {
      const r = await request(serve.url, j, options);
      measurement.replicates.push(r);
      log(`replicate ${j}/${options.replicates}: ${r.ok ? `TTFT ${Math.round(r.ttftMs ?? 0)} ms, ${r.completionTokens ?? 0} tokens` : `failed: ${r.error}`}`);
      if (judgeHopeless(measurement.replicates, options.replicates, options.gateTtftMs)) break;
    }
    return measurement;
  } finally {
    await stopCandidateServe(serve);
  }
}

/** One streamed chat request (n = 0: the warm-up), aborted with no first token by 3× the gate (S1-3). */
async function request(url: string, n: number, options: ProbeCandidateOptions): Promise<RequestOutcome> {
  const firstTokenTimeoutMs = n === 0 ? Math.max(3 * options.gateTtftMs, WARMUP_FIRST_TOKEN_MIN_MS) : 3 * options.gateTtftMs;
  const limitMs = firstTokenTimeoutMs + STREAM_LIMIT_MS;
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new Error(`the stream did not finish within ${limitMs} ms`)), limitMs);
  const signal = options.signal ? AbortSignal.any([options.signal, limit.signal]) : limit.signal;
  try {
    return await probeCompletion(`${url}/v1/chat/completions`, stage1ProbeRequest(n, { maxTokens: options.maxTokens }), { firstTokenTimeoutMs, signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Control-token texts from the GGUF vocabulary; [] when the header cannot be read (serve will say why). */
function modelSpecialTexts(modelPath: string): string[] {
  try {
    return ggufSpecialTexts(readGgufHeaderFile(modelPath).metadata);
  } catch {
    return [];
  }
}
