import os from "node:os";
import path from "node:path";
import { envValue, type Env } from "../core/env.js";

export const PROJECT_NAME = "mcp-memory-bridge";
export const PROFILE_FILE_NAME = "config.json";
/** The profile is a few hundred bytes; anything near this is not one. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** Where the profile and the insecure token file live, instead of the OS config directory. */
export const CONFIG_DIR_ENV_VAR = "MEMORY_BRIDGE_CONFIG_DIR";

/**
 * conf's default directory for projectName "mcp-memory-bridge" (env-paths `config` with conf's
 * "-nodejs" suffix), computed here so reading the profile does not have to load conf.
 * A test checks it against conf itself.
 */
export function defaultConfigDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const name = `${PROJECT_NAME}-nodejs`;
  if (platform === "darwin") return path.posix.join(home, "Library", "Preferences", name);
  if (platform === "win32") {
    const appData = env.APPDATA || path.win32.join(home, "AppData", "Roaming");
    return path.win32.join(appData, name, "Config");
  }
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, ".config"), name);
}

/** MEMORY_BRIDGE_CONFIG_DIR (made absolute) when set, else the OS default for `machine`. */
export function resolveConfigDir(env: Env, machine: { platform?: NodeJS.Platform; home?: string } = {}): string {
  const override = envValue(env, CONFIG_DIR_ENV_VAR);
  return override !== undefined ? path.resolve(override) : defaultConfigDir(env, machine.platform, machine.home);
}

export function profilePath(configDir: string): string {
  return path.join(configDir, PROFILE_FILE_NAME);
}
