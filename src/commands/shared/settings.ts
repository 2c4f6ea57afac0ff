import { chooseConfigDir } from "../../config/config-dir.js";
import { toSettingFlags } from "../../config/flags.js";
import { loadSettings } from "../../config/load.js";
import { currentOsUserName } from "../../config/os-user.js";
import { readProfile, type ProfileKey } from "../../config/profile.js";
import type { Settings } from "../../config/settings.js";
import type { CommandContext } from "../context.js";

export interface LoadedSettings {
  settings: Readonly<Settings>;
  /** Problems with the saved profile that did not stop loading (shown by status/doctor, logged by serve). */
  profileProblems: string[];
}

/**
 * flags > env > saved profile > defaults, for any command, on the context's machine. Throws
 * ConfigError on a bad value. `ignoreSaved` leaves those keys of the saved profile out (login
 * re-decides them).
 */
export function settingsFor(ctx: CommandContext, values: Record<string, unknown>, ignoreSaved: readonly ProfileKey[] = []): LoadedSettings {
  const machine = { platform: ctx.host.platform, home: ctx.host.home };
  const configDir = chooseConfigDir(ctx.env, machine);
  const profile = readProfile(configDir.dir);
  const saved = { ...profile.profile };
  for (const key of ignoreSaved) delete saved[key];
  const settings = loadSettings({
    flags: toSettingFlags(values),
    env: ctx.env,
    profile: saved,
    osUserName: currentOsUserName(ctx.env),
    ...machine,
  });
  return { settings, profileProblems: configDir.problem === undefined ? profile.problems : [configDir.problem, ...profile.problems] };
}
