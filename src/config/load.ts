import type { Env } from "../core/env.js";
import type { SettingSource } from "../core/unions.js";
import { profilePath, resolveConfigDir } from "./config-dir.js";
import { readEnvSettings } from "./env.js";
import { ConfigError } from "./errors.js";
import { defaultOf, flagField, SETTING_KEYS, settingRow, type SettingFlags, type SettingKey, type Settings } from "./settings.js";
import type { Profile } from "./profile.js";
import { showValue } from "./show-value.js";

export interface LoadSettingsInput {
  flags?: SettingFlags;
  env: Env;
  /** From readProfile(); validated again here, so a hand-built object cannot slip past. */
  profile?: Profile;
  /** Default user id; see currentOsUserName(). */
  osUserName?: string;
  /** The OS and home directory the default config directory is for (default: this process's). */
  platform?: NodeJS.Platform;
  home?: string;
}

/** A value before validation, with enough provenance to say where a bad one came from. */
interface RawSetting {
  value: unknown;
  source: SettingSource;
  /** "--timeout", "MEMORY_BRIDGE_TIMEOUT_MS" or "timeoutMs". */
  name: string;
}

/** Merges flags > env > saved profile > defaults, validates every value, and freezes the result. */
export function loadSettings(input: LoadSettingsInput): Readonly<Settings> {
  const configDir = resolveConfigDir(input.env, input);
  const env = readEnvSettings(input.env);
  const flags: Readonly<Record<string, unknown>> = input.flags ?? {};
  const profile: Readonly<Record<string, unknown>> = input.profile ?? {};

  const raw = (key: SettingKey): RawSetting | undefined => {
    const row = settingRow(key);
    const flag = flags[flagField(row.flag)];
    if (flag !== undefined) return { value: flag, source: "flag", name: `--${row.flag}` };
    const variable = env[key];
    if (variable !== undefined) return { value: variable.value, source: "env", name: variable.variable };
    if (profile[key] !== undefined) return { value: profile[key], source: "profile", name: key };
    return undefined;
  };

  const settings: Record<string, unknown> = { endpointSource: "default", configDir };
  for (const key of SETTING_KEYS) {
    const row = settingRow(key);
    const found = raw(key);
    if (found === undefined) {
      settings[key] = defaultOf(key, input);
      continue;
    }
    const parsed = row.schema.safeParse(found.value);
    if (!parsed.success) throw invalid(key, found, profilePath(configDir));
    settings[key] = parsed.data;
    if (key === "endpoint") settings.endpointSource = found.source;
  }
  return Object.freeze(settings) as Settings;
}

function invalid(key: SettingKey, raw: RawSetting, profileFile: string): ConfigError {
  const value = showValue(raw.value, settingRow(key).url);
  const where =
    raw.source === "flag"
      ? `${raw.name} ${value}`
      : raw.source === "env"
        ? `environment variable ${raw.name} ${value}`
        : `${raw.name} ${value} in the saved profile (${profileFile})`;
  return new ConfigError(`Invalid ${where}: ${settingRow(key).allowed}.`, key, raw.source);
}
