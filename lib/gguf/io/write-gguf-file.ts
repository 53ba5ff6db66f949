/**
 * Writes a laid-out GGUF to disk atomically (temp file + rename) and returns its sha256, so a crash
 * never leaves a half-written model under the final name.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { GgufLayout, GgufTensorLayout } from "../layout-gguf.ts";

export async function writeGgufFile(
  path: string,
  layout: GgufLayout,
  chunksFor: (tensor: GgufTensorLayout) => Iterable<Uint8Array>,
): Promise<{ bytes: number; sha256: string }> {
  const tmp = `${path}.tmp-${process.pid}`;
  const hasher = new Bun.CryptoHasher("sha256");
  const fd = openSync(tmp, "w");
  let written = 0;
  const put = (bytes: Uint8Array) => {
    hasher.update(bytes);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    written += bytes.length;
  };
  try {
    put(layout.header);
    for (const tensor of layout.tensors) {
      const start = layout.dataOffset + tensor.offset;
      if (written < start) put(new Uint8Array(start - written)); // alignment padding
      for (const chunk of chunksFor(tensor)) put(chunk);
      if (written !== start + tensor.byteSize) throw new Error(`writeGgufFile: tensor "${tensor.name}" produced ${written - start} bytes, expected ${tensor.byteSize}`);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return { bytes: written, sha256: hasher.digest("hex") };
}
