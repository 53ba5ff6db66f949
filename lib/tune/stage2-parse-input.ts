/**
 * Stage 2's input: a stage1 document (PIPE-1). Checked far enough that a malformed one is one line
 * naming the field (exit 64); a run that already ended upstream is handed on as it is.
 */
import type { Stage1Document } from "./stage1-document.ts";
import { isObject, parseStageDocument } from "./parse-stage-document.ts";

export function parseStage2Input(text: string): Stage1Document {
  const doc = parseStageDocument("stage2", text, "stage1", "stage1");
  for (const key of ["spec_version", "run_id", "started_at"]) {
    if (typeof doc[key] !== "string" || doc[key] === "") throw new Error(`stage2: malformed stage1 document: ${key} must be a non-empty string`);
  }
  if (!isObject(doc.machine) || !isObject(doc.inputs)) throw new Error("stage2: malformed stage1 document: machine and inputs must be objects");
  if (doc.exit_reason === null) {
    const s = doc.selected;
    if (!isObject(s) || typeof s.name !== "string" || typeof s.path !== "string") {
      throw new Error("stage2: malformed stage1 document: exit_reason is null but selected has no name and path");
    }
  }
  if (!Array.isArray(doc.infeasible) || !Array.isArray(doc.alternates)) throw new Error("stage2: malformed stage1 document: infeasible and alternates must be lists");
  return doc as unknown as Stage1Document;
}

