/** A whole number from the command line, or an error naming the option, the value and the range. */
export function parseIntegerOption(option: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${option} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}, got ${JSON.stringify(raw)}`);
  }
  return n;
}
