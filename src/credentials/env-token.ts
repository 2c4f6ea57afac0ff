import { envValue, type Env } from "../core/env.js";

/** Current name first; the legacy one keeps an http-mcp-bridge.js client entry working. */
export const TOKEN_ENV_VARS = ["MEMORY_BRIDGE_TOKEN", "MCP_MEMORY_API_KEY"] as const;
export type TokenEnvVar = (typeof TOKEN_ENV_VARS)[number];

/** The token from the environment (trimmed; empty or an unexpanded `${…}` counts as unset) and the variable it came from. */
export function tokenFromEnv(env: Env): { token: string; variable: TokenEnvVar } | undefined {
  for (const variable of TOKEN_ENV_VARS) {
    const token = envValue(env, variable);
    if (token !== undefined) return { token, variable };
  }
  return undefined;
}
