/** Default locations, following XDG on every OS; `env` is injectable so tests never touch the real home. */
import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

export function cacheDir(env: Env = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "macprovider");
}

/** Where synthetic fixtures are generated: `MACPROVIDER_FIXTURES_DIR`, else the cache folder. */
export function fixturesDir(env: Env = process.env): string {
  return env.MACPROVIDER_FIXTURES_DIR || join(cacheDir(env), "fixtures");
}

/** serve's config file: `MACPROVIDER_CONFIG`, else `$XDG_CONFIG_HOME/macprovider/config.yaml`. */
export function configPath(env: Env = process.env): string {
  return env.MACPROVIDER_CONFIG || join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config"), "macprovider", "config.yaml");
}
