import { firstEnvValue, type Env } from "../core/env.js";
import { SETTING_KEYS, SETTINGS, settingRow, type SettingKey } from "./settings.js";

/** Each setting's variables, the current name first, then legacy aliases (contracts/cli.md). */
export const SETTING_ENV_VARS = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].env])) as {
  [K in SettingKey]: (typeof SETTINGS)[K]["env"];
};

export interface EnvSetting {
  /** Trimmed, not yet validated. */
  value: string;
  /** The variable that supplied it, for error messages. */
  variable: string;
}
export type EnvSettings = Partial<Record<SettingKey, EnvSetting>>;

/** Every setting present in `env`; for each, the first set variable of its row wins. */
export function readEnvSettings(env: Env): EnvSettings {
  const found: EnvSettings = {};
  for (const key of SETTING_KEYS) {
    const row = settingRow(key);
    const set = firstEnvValue(env, row.env);
    if (set !== undefined) found[key] = { value: row.envValues?.[set.variable]?.(set.value) ?? set.value, variable: set.variable };
  }
  return found;
}
