import { CONFIG_DIR_ENV_VAR, envValue, SETTING_ENV_VARS, type Env } from "../../config/env.js";
import { FALLBACK_USER_ID } from "../../config/load.js";
import { SETTING_DEFAULTS, type SettingKey } from "../../config/schema.js";
import type { Settings } from "../../config/types.js";
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
  const defaults: Partial<Record<SettingKey, unknown>> = { ...SETTING_DEFAULTS, userId: input.osUserName?.trim() || FALLBACK_USER_ID };
  for (const [key, variables] of Object.entries(SETTING_ENV_VARS) as [SettingKey, readonly string[]][]) {
    const value: unknown = settings[key];
    if (value === undefined || NOT_PINNED.has(key) || value === defaults[key]) continue;
    // A relative CA file is relative to this shell; the client starts the bridge elsewhere.
    const text = key === "caFile" ? p.resolve(input.cwd, String(value)) : typeof value === "object" ? JSON.stringify(value) : String(value);
    out[variables[0]!] = text;
  }
  const configDir = envValue(input.env, CONFIG_DIR_ENV_VAR);
  if (configDir !== undefined) out[CONFIG_DIR_ENV_VAR] = p.resolve(input.cwd, configDir);
  return out;
}
