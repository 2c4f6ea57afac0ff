import { readRegularFileSync } from "../core/regular-file.js";
import { firstEnvValue, type Env } from "../core/env.js";
import { BACKEND_FLAVOURS, PROXY_BACKEND } from "../core/unions.js";
import { MAX_PROFILE_BYTES, profilePath, settledConfigDir } from "./config-dir.js";

/** The endpoint's variables, current name first, then legacy aliases (the settings table's row uses these). */
export const ENDPOINT_ENV_VARS = ["MEMORY_BRIDGE_ENDPOINT", "MCP_MEMORY_HTTP_ENDPOINT", "MCP_HTTP_ENDPOINT"] as const;
export const BACKEND_ENV_VARS = ["MEMORY_BRIDGE_BACKEND"] as const;

/**
 * Whether serve with no flags might run as the proxy for a remote MCP server (whose `initialize`
 * answer is the remote's), judged from the environment and the saved profile without loading the
 * settings table (zod). It errs towards true: false must mean that usesRemoteMcp() is false for the
 * settings serve will load. An odd profile (unreadable, not JSON) also says true, and so does an
 * older config folder, which serve moves over (chooseConfigDir): that is not done from here.
 */
export function mayServeRemoteMcp(env: Env, machine: { platform?: NodeJS.Platform; home?: string } = {}): boolean {
  const configDir = settledConfigDir(env, machine);
  if (configDir === undefined) return true;
  let profile: Record<string, unknown> = {};
  try {
    const read = readRegularFileSync(profilePath(configDir), { maxBytes: MAX_PROFILE_BYTES });
    if (read !== undefined && read.text.trim() !== "") {
      const data: unknown = JSON.parse(read.text);
      if (typeof data !== "object" || data === null || Array.isArray(data)) return true;
      profile = data as Record<string, unknown>;
    }
  } catch {
    return true;
  }
  const backend = firstEnvValue(env, BACKEND_ENV_VARS)?.value ?? profile.backend;
  if (backend !== undefined && typeof backend !== "string") return true;
  const choice = backend?.trim().toLowerCase();
  if (choice === PROXY_BACKEND) return true;
  // A REST flavour is never the proxy; auto, nothing, or a value that is not valid (an invalid profile
  // field is dropped for the default, auto) depends on the endpoint's path.
  if ((BACKEND_FLAVOURS as readonly string[]).includes(choice ?? "")) return false;
  const endpoint = firstEnvValue(env, ENDPOINT_ENV_VARS)?.value ?? profile.endpoint;
  if (endpoint === undefined) return false;
  return typeof endpoint !== "string" || /mcp|%/i.test(endpoint);
}
