/**
 * The command line a service runs: the compiled `macprovider` binary when this is one, else the
 * `bun` executable with the absolute path of `scripts/cli.ts` (a checkout run with `bun`), then
 * `serve --config <absolute config path>`. Pure: the process facts are passed in.
 */

export type ProgramFacts = {
  /** `process.execPath`: the compiled binary itself, or the `bun` executable. */
  execPath: string;
  /** `Bun.main`: inside a compiled binary it lies in bun's embedded file system (`/$bunfs/…`). */
  mainPath: string;
  /** The absolute path of `scripts/cli.ts` in this checkout. */
  cliScript: string;
};

/** Whether `mainPath` is a module embedded by `bun build --compile`. */
export function isCompiledBinary(mainPath: string): boolean {
  return mainPath.startsWith("/$bunfs/") || /^[A-Z]:[\\/]~BUN[\\/]/.test(mainPath);
}

/** The service's argv: program, then `serve --config <configFile>`; `configFile` must be absolute. */
export function serviceProgram(facts: ProgramFacts, configFile: string): string[] {
  if (!configFile.startsWith("/")) throw new Error(`service: the config path ${JSON.stringify(configFile)} must be absolute`);
  const program = isCompiledBinary(facts.mainPath) ? [facts.execPath] : [facts.execPath, facts.cliScript];
  return [...program, "serve", "--config", configFile];
}
