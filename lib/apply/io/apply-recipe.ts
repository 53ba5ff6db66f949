/**
 * `apply` (APL-1…3): writes a recipe's owned keys into serve's config file as one transaction —
 * the original backed up exclusively, the new text written to a temp file in the same folder,
 * proved through serve's own loader and plan, and only then renamed over the original (atomic).
 * On any failure the original is untouched and the temp file and backup are gone: exit 7.
 */
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ApplyError } from "../apply-error.ts";
import { editConfigText, type EditedConfig } from "../edit-config-text.ts";
import { recipeConfigEdits, type OwnedConfigKey } from "../recipe-config-edits.ts";
import type { Recommendation } from "../../tune/stage2-document.ts";
import { checkConfigServes } from "./check-config-serves.ts";
import { writeBackup } from "./write-backup.ts";
import { writeExclusive } from "./write-exclusive.ts";

export type ApplyOptions = {
  /** The config file; a symlink is followed, so the link stays and its target is replaced. */
  configFile: string;
  recommendation: Pick<Recommendation, "model_path" | "knobs">;
  /** The environment and folder serve's check runs with. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** Defaults to the clock. */
  now?: () => Date;
  /** Seams for tests. Default: serve's preflight (`checkConfigServes`), and `renameSync`. */
  checkServes?: (file: string) => Promise<void>;
  rename?: (from: string, to: string) => void;
};

export type ApplyResult = {
  /** The file written (the symlink's target when the config is a link). */
  config: string;
  /** null when there was no config file before (it was created). */
  backup: string | null;
  written_keys: OwnedConfigKey[];
  removed_keys: OwnedConfigKey[];
};

export async function applyRecipe(o: ApplyOptions): Promise<ApplyResult> {
  const target = followLink(o.configFile);
  const original = readOriginal(target);
  const edits = recipeConfigEdits(o.recommendation);
  let edited: EditedConfig;
  try {
    edited = editConfigText(original === null ? "" : original.toString("utf8"), edits);
  } catch (error) {
    throw new ApplyError(`apply: config file ${target} ${(error as Error).message}; it is unchanged`);
  }
  const mode = original === null ? 0o644 : statSync(target).mode & 0o7777;
  const temp = join(dirname(target), `.${basename(target)}.apply-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  let backup: string | null = null;
  let failed = (reason: string) => `cannot create the folder of ${target}: ${reason}`;
  try {
    if (original === null) mkdirSync(dirname(target), { recursive: true });
    failed = (reason) => `cannot back up ${target}: ${reason}`;
    if (original !== null) backup = writeBackup(target, original, (o.now ?? (() => new Date()))(), mode);
    failed = (reason) => `cannot write the new text of ${target}: ${reason}`;
    writeExclusive(temp, edited.text, mode);
    failed = (reason) => `the new ${target} would not serve: ${reason}`;
    await (o.checkServes ?? ((file) => checkConfigServes(file, { env: o.env, cwd: o.cwd })))(temp);
    failed = (reason) => `cannot replace ${target}: ${reason}`;
    (o.rename ?? renameSync)(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    if (backup !== null) rmSync(backup, { force: true });
    const reason = describe(error).replaceAll(temp, target);
    throw new ApplyError(`apply: ${failed(reason)}; ${original === null ? "no file was created" : "it is unchanged"}`);
  }
  return { config: target, backup, written_keys: edits.set.map(([key]) => key), removed_keys: edited.removed };
}

function followLink(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // missing (or a dangling link): created at the path given
  }
}

/** The original's bytes, or null when there is no file yet. */
function readOriginal(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT") return null;
    throw new ApplyError(`apply: cannot read config file ${path}: ${e.code ?? e.message}; it is unchanged`);
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code && e.syscall) return `${e.code} (${e.syscall}${e.path ? ` ${e.path}` : ""})`;
  return (e.message ?? String(error)).split("\n")[0]!;
}
