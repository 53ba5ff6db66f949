/**
 * DB-1 rows for a Stage 2 document: one stage-2 trial per measured cell (its replicate set), kept on
 * the winner, plus one row for the anchor's re-measurements carrying the noise floor (S2-4).
 */
import type { NewTrial } from "../store/run-store.ts";
import type { Stage2Document } from "./stage2-document.ts";

export function stage2TrialRows(doc: Stage2Document, model: string, anchorTps: readonly number[], now: string): NewTrial[] {
  const rows: NewTrial[] = doc.cells.filter((c) => c.replicates.length > 0).map((c) => ({
    run_id: doc.run_id,
    stage: 2,
    model,
    kv_bits: c.cell.kv_bits,
    max_context_cap: c.cell.max_context,
    max_batch: c.cell.max_batch,
    threads: c.cell.threads,
    flash_attention: c.cell.flash_attention,
    engine: c.cell.engine,
    gpu: c.cell.gpu ?? null,
    gpu_layers: c.cell.gpu_layers === undefined ? null : String(c.cell.gpu_layers),
    fits: c.summary.feasible,
    n_err: c.summary.n_err,
    replicates_n: c.summary.replicates,
    tps: c.summary.tps_median,
    ttft_p95_ms: c.summary.ttft_p95_ms,
    kept: c.kept,
    notes: JSON.stringify({ cell: c.key, reason: c.summary.reason, tps: c.replicates.map((r) => (r.tps === null ? null : Math.round(r.tps * 10) / 10)) }),
    created_at: now,
  }));
  const anchor = doc.cells.find((c) => c.key === doc.search.anchor);
  if (anchor && anchorTps.length > 0) {
    rows.push({
      run_id: doc.run_id, stage: 2, model, kv_bits: anchor.cell.kv_bits, max_context_cap: anchor.cell.max_context, max_batch: anchor.cell.max_batch,
      threads: anchor.cell.threads, flash_attention: anchor.cell.flash_attention, engine: anchor.cell.engine,
      gpu: anchor.cell.gpu ?? null, gpu_layers: anchor.cell.gpu_layers === undefined ? null : String(anchor.cell.gpu_layers),
      fits: true, n_err: 0, replicates_n: anchorTps.length, tps: null, ttft_p95_ms: null, kept: false,
      notes: JSON.stringify({ anchor: anchor.key, anchor_tps: anchorTps, noise_floor: doc.search.noise_floor, tie_band: doc.search.tie_band, search: doc.search.mode }),
      created_at: now,
    });
  }
  return rows;
}
