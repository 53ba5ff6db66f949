/** The table `macprovider runs` prints: one line per run, newest first. */
import { formatTable } from "./format-table.ts";
import type { RunSummary } from "./run-store.ts";

/** `2025-05-01T12:00:07.123Z` → `2025-05-01 12:00 UTC`; a time that does not parse is shown as stored. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatTps(tps: number | null): string {
  return tps === null ? "-" : tps.toFixed(1);
}

export function renderRunList(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return "no runs yet";
  const rows = runs.map((run) => [
    run.run_id,
    formatWhen(run.started_at),
    run.model ?? "-",
    formatTps(run.tps),
    run.exit_reason ?? (run.finished_at === null ? "(unfinished)" : "-"),
  ]);
  return formatTable(["id", "when", "model", "tok/s", "exit reason"], rows);
}
