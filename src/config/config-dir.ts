import os from "node:os";
import path from "node:path";
import { envValue, type Env } from "../core/env.js";
import { CONFIG_DIR_ENV_VAR } from "./env.js";

export const PROJECT_NAME = "mcp-memory-bridge";
export const PROFILE_FILE_NAME = "config.json";

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

/** MEMORY_BRIDGE_CONFIG_DIR (made absolute) when set, else the OS default. */
export function resolveConfigDir(env: Env): string {
  const override = envValue(env, CONFIG_DIR_ENV_VAR);
  return override !== undefined ? path.resolve(override) : defaultConfigDir(env);
}

export function profilePath(configDir: string): string {
  return path.join(configDir, PROFILE_FILE_NAME);
}
