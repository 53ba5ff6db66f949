import { describe, expect, test } from "bun:test";
import { escapeHtml } from "../../../lib/report/escape-html.ts";
import { formatKnobs } from "../../../lib/report/render-headline-section.ts";
import { renderReportHtml } from "../../../lib/report/render-report-html.ts";
import { buildReportModel } from "../../../lib/report/report-model.ts";
import type { RunDetail } from "../../../lib/store/run-store.ts";
import { completedRun, runRecord, trial } from "./report-details.ts";

const NO_SVGS = { stage1: null, stage2Tps: null, stage2Ttft: null };
const page = (detail: RunDetail) => renderReportHtml(buildReportModel(detail), NO_SVGS, detail);
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

describe("renderReportHtml()", () => {
  test("renderReportHtml() escapes every text from the run: model, reason, serve command, run id", () => {
    const done = completedRun();
    const detail: RunDetail = {
      run: { ...done.run, run_id: HOSTILE, recommendation: { ...done.run.recommendation!, model: HOSTILE, serve_command: HOSTILE } },
      trials: [...done.trials, trial({ model: HOSTILE, notes: HOSTILE })],
    };
    const html = page(detail);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain(escapeHtml(HOSTILE));
  });

  test("renderReportHtml() puts a failed run's headline first and still lists what Stage 1 measured", () => {
    const html = page({ run: runRecord({ exit_reason: "all_infeasible" }), trials: [trial({ model: "fx-80m", ttft_p95_ms: 3100, notes: "TTFT p95 3100 ms is over the 2000 ms gate" })] });
    expect(html).toContain('<header class="headline failed">');
    expect(/<h1>(.*?)<\/h1>/.exec(html)![1]).toBe("Run failed: all_infeasible (exit 3)");
    expect(html).not.toContain('id="recommendation"');
    expect(html).toContain("<td>fx-80m</td><td>infeasible</td><td class=\"num\">3100 ms</td>");
    expect(html).toContain("No Stage 2 cell was measured in this run.");
  });

  test("renderReportHtml() renders a run stored by an older version, without machine, inputs or notes JSON", () => {
    const html = page({ run: runRecord({ machine: null, inputs: null, spec_version: null }), trials: [trial({ model: "qwen-7b", fits: true, kept: true, tps: 21.5 })] });
    expect(html).toContain("unknown (recorded by an older version)");
    expect(html).toContain("<td>qwen-7b</td><td>chosen</td>");
  });

  test("renderReportHtml() embeds the runs show --json document it was made from", () => {
    const detail = completedRun();
    expect(page(detail)).toContain(escapeHtml(JSON.stringify(detail, null, 2)));
  });
});

describe("formatKnobs()", () => {
  test("formatKnobs() names the knobs as serve's flags, prints kv_bits unset and leaves other unset knobs out", () => {
    expect(formatKnobs(completedRun().run.recommendation!.knobs)).toBe("kv_bits unset · max_batch 2 · max_context 4096 · threads 4 · flash_attention on · engine prebuilt");
  });
});
