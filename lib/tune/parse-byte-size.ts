const UNITS: Record<string, number> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * A byte count from the command line: `8589934592`, `8G`, `512M`, `1.5T` (K, M, G, T are powers of
 * 1024; a trailing `B` or `iB` is allowed). Throws an Error naming the option and the value.
 */
export function parseByteSize(option: string, raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(raw);
  const bytes = match ? Math.floor(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new Error(`${option} must be a byte count such as 17179869184, 16G or 512M (K, M, G, T = powers of 1024), got ${JSON.stringify(raw)}`);
  }
  return bytes;
}
