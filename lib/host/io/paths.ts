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

/** `$XDG_DATA_HOME/macprovider` (`~/.local/share/macprovider`): the run store and downloaded models. */
export function dataDir(env: Env = process.env): string {
  return join(env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share"), "macprovider");
}

/** The autotune run store (DB-1); `--db` overrides. */
export function defaultDbPath(env: Env = process.env): string {
  return join(dataDir(env), "autotune.db");
}

/** Where `pull` and prewarm put downloaded models: `MACPROVIDER_MODELS_DIR`, else `<data dir>/models`. */
export function modelsDir(env: Env = process.env): string {
  return env.MACPROVIDER_MODELS_DIR || join(dataDir(env), "models");
}
