/** SRV-2's `/metrics`: request, token, TTFT and decode-rate figures in Prometheus text format. */
export type Histogram = { buckets: readonly number[]; counts: number[]; sum: number; count: number };

const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const DECODE_BUCKETS = [1, 5, 10, 20, 50, 100, 200, 500, 1000];

function histogram(buckets: readonly number[]): Histogram {
  return { buckets, counts: buckets.map(() => 0), sum: 0, count: 0 };
}

function observe(h: Histogram, value: number): void {
  h.buckets.forEach((b, i) => { if (value <= b) h.counts[i]!++; });
  h.sum += value;
  h.count++;
}

export class ProviderMetrics {
  readonly requests = new Map<string, number>(); // "route status" → count
  promptTokens = 0;
  generatedTokens = 0;
  readonly ttftSeconds = histogram(TTFT_BUCKETS);
  readonly decodeTokensPerSecond = histogram(DECODE_BUCKETS);

  countRequest(route: string, status: number): void {
    const key = `${route} ${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** `waitedMs`: from the request's arrival to the start of generation (queue, tokenizing). */
  recordGeneration(stats: { promptTokens: number; completionTokens: number; ttftMs: number | null; decodeTokensPerSecond: number | null }, waitedMs = 0): void {
    this.promptTokens += stats.promptTokens;
    this.generatedTokens += stats.completionTokens;
    if (stats.ttftMs !== null) observe(this.ttftSeconds, (waitedMs + stats.ttftMs) / 1000);
    if (stats.decodeTokensPerSecond !== null) observe(this.decodeTokensPerSecond, stats.decodeTokensPerSecond);
  }

  /** Prometheus exposition text; gauges are read at scrape time. */
  render(gauges: { inFlight: number; queued: number; ready: boolean }): string {
    const lines: string[] = [];
    const head = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    head("macprovider_requests_total", "counter", "HTTP requests by route (unknown paths as \"other\") and status code.");
    for (const [key, n] of [...this.requests].sort()) {
      const [route, status] = key.split(" ");
      lines.push(`macprovider_requests_total{route="${route}",status="${status}"} ${n}`);
    }
    head("macprovider_prompt_tokens_total", "counter", "Prompt tokens of served generations.");
    lines.push(`macprovider_prompt_tokens_total ${this.promptTokens}`);
    head("macprovider_generated_tokens_total", "counter", "Tokens generated.");
    lines.push(`macprovider_generated_tokens_total ${this.generatedTokens}`);
    renderHistogram(lines, "macprovider_ttft_seconds", "Time to first token, from the request's arrival (queue wait included).", this.ttftSeconds);
    renderHistogram(lines, "macprovider_decode_tokens_per_second", "Decode rate per generation.", this.decodeTokensPerSecond);
    head("macprovider_in_flight", "gauge", "Generations running now.");
    lines.push(`macprovider_in_flight ${gauges.inFlight}`);
    head("macprovider_queue_depth", "gauge", "Requests waiting for a free sequence.");
    lines.push(`macprovider_queue_depth ${gauges.queued}`);
    head("macprovider_ready", "gauge", "1 when the model is loaded and serving.");
    lines.push(`macprovider_ready ${gauges.ready ? 1 : 0}`);
    return lines.join("\n") + "\n";
  }
}

function renderHistogram(lines: string[], name: string, help: string, h: Histogram): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  h.buckets.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${h.counts[i]}`));
  lines.push(`${name}_bucket{le="+Inf"} ${h.count}`, `${name}_sum ${h.sum}`, `${name}_count ${h.count}`);
}
