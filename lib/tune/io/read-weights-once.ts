/**
 * Reads a model file end to end once (PW-1): the weights land in the page cache, so a later cold
 * load does not count against the TTFT gate, and the time it took is the candidate's load_ms.
 * Hashes on the way when asked, so a catalog's sha256 costs no second read.
 */
export type WeightsRead = { ms: number; bytes: number; sha256: string | null };

export async function readWeightsOnce(path: string, options: { sha256?: boolean } = {}): Promise<WeightsRead> {
  const hasher = options.sha256 ? new Bun.CryptoHasher("sha256") : null;
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of Bun.file(path).stream()) {
    bytes += chunk.byteLength;
    hasher?.update(chunk);
  }
  return { ms: Math.round(performance.now() - started), bytes, sha256: hasher ? hasher.digest("hex") : null };
}
