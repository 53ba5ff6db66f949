/**
 * Runs blocking work (tokenizing a prompt of up to a megabyte) one piece at a time, and after each
 * piece leaves the event loop to everything else for half as long as the piece took (at most
 * 50 ms). A token of a running stream takes several trips through the loop (node-llama-cpp
 * dispatches each decode on a timer, then samples, then the SSE write); back-to-back
 * tokenizations would leave it one trip each. So a stream waits for about one tokenization at a
 * time, not for every large prompt that arrived with it. A piece under a millisecond (a chat-sized
 * prompt) leaves no pause: streams would not notice it, and requests that arrived together then
 * reach the decode loop in the same turn and share their first step.
 */
export type TakeTurn = <T>(work: () => T) => Promise<T>;

const MAX_PAUSE_MS = 50;
const NO_PAUSE_UNDER_MS = 1;

export function takeTurns(): TakeTurn {
  let free: Promise<void> = Promise.resolve(); // settles when the next piece may start
  return <T>(work: () => T): Promise<T> => {
    let tookMs = 0;
    const turn = free.then(() => {
      const started = performance.now();
      try {
        return work();
      } finally {
        tookMs = performance.now() - started;
      }
    });
    const pause = () => (tookMs < NO_PAUSE_UNDER_MS ? undefined : new Promise<void>((resolve) => setTimeout(resolve, Math.min(MAX_PAUSE_MS, tookMs / 2))));
    free = turn.then(pause, pause);
    return turn;
  };
}
