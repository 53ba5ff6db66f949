/**
 * node-llama-cpp builds under a proper-lockfile lock (`<build folder>.lock`, touched every 5 s,
 * stale after 10 s) and getLlama waits for it without a bound or a word. This waits a bounded time,
 * saying what for; waiting 10 s also outlasts a lock left by a killed build.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { logger } from "../../cli/io/logger.ts";
import { NODE_LLAMA_CPP_DIR } from "./local-builds.ts";

const LOCAL_BUILDS_DIR = join(NODE_LLAMA_CPP_DIR, "llama", "localBuilds");
const BUILD_LOCK_STALE_MS = 10_000;
export const BUILD_LOCK_WAIT_MS = 10_000;

/** A build lock under llama/localBuilds touched within the stale window (a build running now), or null. */
function heldBuildLock(): string | null {
  if (!existsSync(LOCAL_BUILDS_DIR)) return null;
  for (const entry of readdirSync(LOCAL_BUILDS_DIR).filter((e) => e.endsWith(".lock"))) {
    const touched = statSync(join(LOCAL_BUILDS_DIR, entry), { throwIfNoEntry: false })?.mtimeMs; // gone: released
    if (touched !== undefined && Date.now() - touched < BUILD_LOCK_STALE_MS) return join(LOCAL_BUILDS_DIR, entry);
  }
  return null;
}

/** Says what it waits for, waits at most BUILD_LOCK_WAIT_MS, and returns a lock still held then, or null. */
export async function waitForBuildLock(): Promise<string | null> {
  let lock = heldBuildLock();
  if (lock === null) return null;
  logger.info(`waiting up to ${BUILD_LOCK_WAIT_MS / 1000} s for the llama.cpp build in progress to finish (lock ${lock})`);
  const deadline = performance.now() + BUILD_LOCK_WAIT_MS;
  while (lock !== null && performance.now() < deadline) {
    await Bun.sleep(250);
    lock = heldBuildLock();
  }
  return lock;
}
