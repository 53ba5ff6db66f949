/** Where llama.cpp's log lines go: errors to stderr, or to a capture while a load runs (withLlamaErrors). */
import { LlamaLogLevel } from "./node-llama-cpp.ts";

/** Open captures of llama.cpp error lines. */
const captures = new Set<string[]>();

/** The logger an engine is opened with; `custom` gets the lines no capture takes. */
export function llamaLogger(custom?: (level: LlamaLogLevel, message: string) => void) {
  return (level: LlamaLogLevel, message: string) => {
    const error = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal;
    if (error && captures.size > 0) for (const lines of captures) lines.push(message);
    else if (custom) custom(level, message);
    else if (error) process.stderr.write(`[llama.cpp] ${message}\n`);
  };
}

/**
 * Runs `work` with llama.cpp's error lines pushed to `errors` instead of printed, whether it
 * succeeds or not: the reason a load failed, kept for a one-line message.
 */
export async function withLlamaErrors<T>(errors: string[], work: () => Promise<T>): Promise<T> {
  captures.add(errors);
  try {
    return await work();
  } finally {
    captures.delete(errors);
  }
}
