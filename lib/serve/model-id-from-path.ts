/** Served model id: the file name without `.gguf` (either path separator). */
export function modelIdFromPath(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.gguf$/i, "");
}
