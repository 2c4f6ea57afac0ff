import { existsSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { envValue, type Env } from "../core/env.js";

export const PROJECT_NAME = "mcp-memory-bridge";
export const PROFILE_FILE_NAME = "config.json";
/** The profile is a few hundred bytes; anything near this is not one. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** Where the profile and the insecure token file live, instead of the OS config directory. */
export const CONFIG_DIR_ENV_VAR = "MEMORY_BRIDGE_CONFIG_DIR";
/** conf's default folder name (its "-nodejs" suffix), used before 0.1: moved over once. */
const LEGACY_FOLDER = `${PROJECT_NAME}-nodejs`;

interface Machine {
  platform?: NodeJS.Platform;
  home?: string;
}

/** The app's folder in the OS config directory, and the config dir inside it (Windows adds `Config`, as env-paths does). */
function osFolder(name: string, env: Env, platform: NodeJS.Platform, home: string): { folder: string; configDir: string } {
  if (platform === "darwin") {
    const folder = path.posix.join(home, "Library", "Preferences", name);
    return { folder, configDir: folder };
  }
  if (platform === "win32") {
    const folder = path.win32.join(env.APPDATA || path.win32.join(home, "AppData", "Roaming"), name);
    return { folder, configDir: path.win32.join(folder, "Config") };
  }
  const folder = path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, ".config"), name);
  return { folder, configDir: folder };
}

/**
 * The OS config directory's `mcp-memory-bridge` folder: conf's layout with `projectSuffix: ""`
 * (env-paths `config`), computed here so reading the profile does not have to load conf.
 * A test checks it against conf itself.
 */
export function defaultConfigDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return osFolder(PROJECT_NAME, env, platform, home).configDir;
}

/** Where earlier versions kept it: conf's default `mcp-memory-bridge-nodejs`. */
export function legacyConfigDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return osFolder(LEGACY_FOLDER, env, platform, home).configDir;
}

export interface ConfigDirChoice {
  dir: string;
  /** The old folder moved over in this process. */
  moved?: { from: string; to: string };
  /** Why the old folder is still there (both exist, or the move failed): a sentence for status and doctor. */
  problem?: string;
}

/** The file system calls the move makes (a test makes them fail). */
export interface FolderMover {
  exists(file: string): boolean;
  rename(from: string, to: string): void;
}

const realMover: FolderMover = { exists: existsSync, rename: renameSync };

/** One decision per pair of folders per process: the move is tried once, and every caller sees its outcome. */
const decided = new Map<string, ConfigDirChoice>();

/**
 * MEMORY_BRIDGE_CONFIG_DIR (made absolute; nothing is moved) when set, else the OS default. An
 * old `mcp-memory-bridge-nodejs` folder is renamed to the new one when the new one does not exist
 * yet; when both exist the new one is used and the old one left as it is; when the rename fails
 * the old one stays in use. Nothing is ever deleted or overwritten.
 */
export function chooseConfigDir(env: Env, machine: Machine = {}, mover: FolderMover = realMover): ConfigDirChoice {
  const override = envValue(env, CONFIG_DIR_ENV_VAR);
  if (override !== undefined) return { dir: path.resolve(override) };
  const { current, legacy } = bothFolders(env, machine);
  const key = `${legacy.folder}\0${current.folder}`;
  const known = decided.get(key);
  if (known !== undefined) return known;
  const choice = decide(current, legacy, mover);
  decided.set(key, choice);
  return choice;
}

/**
 * The config dir when nothing is left to decide: the override, or the OS default when no older
 * folder is there; undefined while one is (chooseConfigDir then moves it or not). Never moves.
 */
export function settledConfigDir(env: Env, machine: Machine = {}): string | undefined {
  const override = envValue(env, CONFIG_DIR_ENV_VAR);
  if (override !== undefined) return path.resolve(override);
  const { current, legacy } = bothFolders(env, machine);
  return existsSync(legacy.folder) ? undefined : current.configDir;
}

function bothFolders(env: Env, machine: Machine): { current: { folder: string; configDir: string }; legacy: { folder: string; configDir: string } } {
  const platform = machine.platform ?? process.platform;
  const home = machine.home ?? os.homedir();
  return { current: osFolder(PROJECT_NAME, env, platform, home), legacy: osFolder(LEGACY_FOLDER, env, platform, home) };
}

function decide(current: { folder: string; configDir: string }, legacy: { folder: string; configDir: string }, mover: FolderMover): ConfigDirChoice {
  if (!mover.exists(legacy.folder)) return { dir: current.configDir };
  if (mover.exists(current.folder)) {
    return {
      dir: current.configDir,
      problem: `An older config folder ${legacy.folder} (from an earlier version) is still there and is not read; ${current.folder} is used. Move anything you need from it (config.json, credentials.json) into ${current.folder}, then delete it.`,
    };
  }
  try {
    mover.rename(legacy.folder, current.folder);
    return { dir: current.configDir, moved: { from: legacy.folder, to: current.folder } };
  } catch (error) {
    // Another process may have moved it meanwhile.
    if (!mover.exists(legacy.folder) && mover.exists(current.folder)) return { dir: current.configDir };
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return {
      dir: legacy.configDir,
      problem: `Could not move the config folder ${legacy.folder} to ${current.folder} (${code}), so the old one is still used. Rename it to ${current.folder} yourself, or set ${CONFIG_DIR_ENV_VAR}="${legacy.configDir}" to keep it.`,
    };
  }
}

/** Only the variables that decide where the config dir is (for settings that must ignore every other one). */
export function configDirEnv(env: Env): Env {
  return Object.fromEntries([CONFIG_DIR_ENV_VAR, "XDG_CONFIG_HOME", "APPDATA"].flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}

/** The config dir this process uses (see chooseConfigDir). */
export function resolveConfigDir(env: Env, machine: Machine = {}): string {
  return chooseConfigDir(env, machine).dir;
}

export function profilePath(configDir: string): string {
  return path.join(configDir, PROFILE_FILE_NAME);
}
