/** The one line Stage 1 ends with on stderr. */
import type { Stage1Document } from "./stage1-document.ts";

export function stage1Summary(doc: Stage1Document, elapsedMs: number): string {
  const took = `${(elapsedMs / 1000).toFixed(1)} s`;
  const probed = `${doc.trials.length} probe(s)`;
  if (doc.exit_reason === "interrupted") return `stage1: interrupted after ${probed} (${took})`;
  if (!doc.selected) {
    const lead = doc.infeasible[0];
    return `stage1: nothing feasible — ${lead ? `even ${lead.model}: ${lead.reason}` : "no candidates"} (${probed}, ${took})`;
  }
  const s = doc.selected;
  const larger = doc.infeasible.filter((i) => i.size_b > s.size_b).map((i) => i.model);
  return (
    `stage1: selected ${s.name} (${s.size_b}B): TTFT p95 ${s.ttft_p95_ms} ms ≤ gate ${doc.inputs.gate_ttft_ms} ms` +
    (larger.length ? `; larger infeasible: ${larger.join(", ")}` : "") +
    (doc.alternates.length ? `; smaller untested: ${doc.alternates.join(", ")}` : "") +
    ` (${probed}, ${took})`
  );
}
