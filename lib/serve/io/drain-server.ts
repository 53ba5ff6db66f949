/** SRV-7's drain: stop accepting, let in-flight generations finish within the grace period, abort the rest. */
import type { Server } from "bun";
import { SHUTDOWN } from "./completion-session.ts";
import type { ServerState } from "./route-request.ts";

const ABORT_WAIT_MS = 5000;
const WRITE_WAIT_MS = 1000;

export async function drainServer(state: ServerState, server: Server<undefined>, graceMs: number): Promise<{ aborted: number }> {
  const { running } = state;
  state.phase = "draining";
  state.engine?.pool.close(); // queued requests get 503 shutting_down
  void server.stop(false); // no new connections
  const settled = () => Promise.all([...running].map((r) => r.released));
  const deadline = performance.now() + graceMs;
  // Loop: a request may take a slot after a snapshot (it was past the phase check already).
  while (running.size > 0 && performance.now() < deadline) {
    await Promise.race([settled(), Bun.sleep(Math.max(0, deadline - performance.now()))]);
  }
  let aborted = 0;
  for (const r of running) {
    r.abort(SHUTDOWN);
    aborted++;
  }
  // An aborted generation ends within one decode; don't hang on a stuck one.
  await Promise.race([settled(), Bun.sleep(ABORT_WAIT_MS)]);
  // A finished generation's response may still be on its way out: let Bun write it.
  const writeDeadline = performance.now() + WRITE_WAIT_MS;
  while (server.pendingRequests > 0 && performance.now() < writeDeadline) await Bun.sleep(10);
  await server.stop(true);
  return { aborted };
}
