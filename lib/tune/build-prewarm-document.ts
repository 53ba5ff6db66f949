import { EXIT_REASONS, TUNE_SPEC_VERSION, type ExitReason, type PrewarmCandidate, type PrewarmDocument, type RunDocumentHeader } from "./tune-documents.ts";

export type PrewarmDocumentParts = Omit<RunDocumentHeader, "spec_version"> & {
  candidates: PrewarmCandidate[];
  /** A signal stopped the walk (ERR-2). */
  interrupted?: boolean;
};

/**
 * The prewarm stage's output (PIPE-1). An integrity failure ends the run (PW-2), and so does an
 * interruption; otherwise exit_reason stays null for the later stages to set.
 */
export function buildPrewarmDocument(parts: PrewarmDocumentParts): PrewarmDocument {
  const integrity = parts.candidates.some((c) => c.status === "integrity");
  const exitReason: ExitReason | null = parts.interrupted ? "interrupted" : integrity ? "pre_warm_integrity_failure" : null;
  return {
    stage: "prewarm",
    spec_version: TUNE_SPEC_VERSION,
    run_id: parts.run_id,
    started_at: parts.started_at,
    db: parts.db,
    inputs: parts.inputs,
    machine: parts.machine,
    candidates: parts.candidates,
    exit_reason: exitReason,
  };
}

/** The script's exit status: the run's exit code when the document ends it, else 0. */
export function prewarmExitCode(doc: PrewarmDocument): number {
  return doc.exit_reason === null ? 0 : EXIT_REASONS[doc.exit_reason];
}
