/** Run ids sort by start time and read as one: `20250614T093012Z-4f9c2a`. */
export function newRunId(now: Date, entropyHex: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${entropyHex.toLowerCase().replace(/[^0-9a-f]/g, "").slice(0, 6).padEnd(6, "0")}`;
}

/** A `--run-id` given by the caller: 1–64 letters, digits, `.`, `_` or `-`. */
export function checkRunId(raw: string): string {
  if (!/^[A-Za-z0-9][\w.-]{0,63}$/.test(raw)) {
    throw new Error(`--run-id must be 1 to 64 letters, digits, ".", "_" or "-" starting with a letter or digit, got ${JSON.stringify(raw)}`);
  }
  return raw;
}
