import type { SettingKey } from "./schema.js";

/** An injected environment (process.env in production, a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Each setting's variables, the current name first, then legacy aliases (contracts/cli.md). */
export const SETTING_ENV_VARS = {
  endpoint: ["MEMORY_BRIDGE_ENDPOINT", "MCP_MEMORY_HTTP_ENDPOINT", "MCP_HTTP_ENDPOINT"],
  backend: ["MEMORY_BRIDGE_BACKEND"],
  authScheme: ["MEMORY_BRIDGE_AUTH_SCHEME"],
  userId: ["MEMORY_BRIDGE_USER_ID", "DEFAULT_USER_ID"],
  projectMode: ["MEMORY_BRIDGE_PROJECT_MODE", "PROJECT_ID_MODE"],
  projectId: ["MEMORY_BRIDGE_PROJECT_ID"],
  projectKey: ["MEMORY_BRIDGE_PROJECT_KEY"],
  discovery: ["MEMORY_BRIDGE_DISCOVERY", "MCP_MEMORY_AUTO_DISCOVER"],
  timeoutMs: ["MEMORY_BRIDGE_TIMEOUT_MS"],
  maxResponseBytes: ["MEMORY_BRIDGE_MAX_RESPONSE_BYTES"],
  maxConnections: ["MEMORY_BRIDGE_MAX_CONNECTIONS"],
  maxMessageBytes: ["MEMORY_BRIDGE_MAX_MESSAGE_BYTES"],
  allowHttp: ["MEMORY_BRIDGE_ALLOW_HTTP"],
  caFile: ["MEMORY_BRIDGE_CA_FILE"],
  logLevel: ["MEMORY_BRIDGE_LOG_LEVEL"],
} as const satisfies Record<SettingKey, readonly [string, ...string[]]>;

export const CONFIG_DIR_ENV_VAR = "MEMORY_BRIDGE_CONFIG_DIR";

/**
 * Legacy variables whose values the bridge they come from reads differently: put into our
 * spelling as they are read, so an existing client entry means what it meant there.
 */
const LEGACY_VALUES: Readonly<Record<string, (value: string) => string>> = {
  // http-mcp-bridge.js: `process.env.MCP_MEMORY_AUTO_DISCOVER === 'true'`; anything else is off.
  MCP_MEMORY_AUTO_DISCOVER: (value) => (value === "true" ? "true" : "false"),
};

/** Claude Desktop passes an optional extension field left blank as the literal text `${user_config.x}`. */
const UNEXPANDED_PLACEHOLDER = /^\$\{[^}]*\}$/;

/**
 * A variable's trimmed value; empty, blank or an unexpanded `${…}` placeholder counts as unset
 * (client configs often write `VAR=`, and a blank token must not outrank the keychain).
 */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value && !UNEXPANDED_PLACEHOLDER.test(value) ? value : undefined;
}

export interface EnvSetting {
  /** Trimmed, not yet validated. */
  value: string;
  /** The variable that supplied it, for error messages. */
  variable: string;
}
export type EnvSettings = Partial<Record<SettingKey, EnvSetting>>;

/** Every setting present in `env`; for each, the first set variable of SETTING_ENV_VARS wins. */
export function readEnvSettings(env: Env): EnvSettings {
  const found: EnvSettings = {};
  for (const [key, variables] of Object.entries(SETTING_ENV_VARS) as [SettingKey, readonly string[]][]) {
    for (const variable of variables) {
      const value = envValue(env, variable);
      if (value !== undefined) {
        found[key] = { value: LEGACY_VALUES[variable]?.(value) ?? value, variable };
        break;
      }
    }
  }
  return found;
}
