import { CONFIG_DIR_ENV_VAR } from "../../config/config-dir.js";
import { defaultOf, SETTING_KEYS, settingRow, type SettingKey, type Settings } from "../../config/settings.js";
import { envValue, type Env } from "../../core/env.js";
import { pathFor } from "../../invocation/how-started.js";

/** Not written: discovery never runs once the endpoint is pinned. */
const NOT_PINNED = new Set<SettingKey>(["discovery"]);

/**
 * The variables a client entry sets for the bridge: every setting in force that differs from its
 * default (the endpoint always), so the entry keeps working the same when a later `login` saves
 * another server as the default. Never a token: Settings holds none.
 */
export function entryEnv(input: {
  settings: Readonly<Settings>;
  env: Env;
  cwd: string;
  platform: NodeJS.Platform;
  osUserName: string | undefined;
}): Record<string, string> {
  const { settings } = input;
  const p = pathFor(input.platform);
  const out: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const value: unknown = settings[key];
    if (value === undefined || NOT_PINNED.has(key) || value === defaultOf(key, input)) continue;
    // A relative CA file is relative to this shell; the client starts the bridge elsewhere.
    const text = key === "caFile" ? p.resolve(input.cwd, String(value)) : typeof value === "object" ? JSON.stringify(value) : String(value);
    out[settingRow(key).env[0]] = text;
  }
  const configDir = envValue(input.env, CONFIG_DIR_ENV_VAR);
  if (configDir !== undefined) out[CONFIG_DIR_ENV_VAR] = p.resolve(input.cwd, configDir);
  return out;
}
