import type { Settings } from "../config/settings.js";
import { MEM0_PLATFORM_HOST } from "../core/endpoint.js";
import { SetupError } from "../core/errors.js";
import { PROXY_BACKEND, type AuthScheme, type BackendFlavour } from "../core/unions.js";
import { mcpMemoryService } from "./mcp-memory-service.js";
import { mem0 } from "./mem0.js";
import { mem0Keyed } from "./mem0-keyed.js";
import { mem0Platform } from "./mem0-platform.js";
import type { BackendDefinition } from "./types.js";

/** One line per flavour. */
export const BACKENDS: Record<BackendFlavour, BackendDefinition> = {
  "mcp-memory-service": mcpMemoryService,
  mem0,
  "mem0-platform": mem0Platform,
  "mem0-keyed": mem0Keyed,
};

/**
 * The flavour in force. `auto` is decided without a request: the mem0 platform by its host, else
 * mcp-memory-service. (`login` saves the flavour it detects, so a logged-in `auto` is never asked.)
 * A remote MCP server has no REST backend.
 */
export function resolveFlavour(setting: Settings["backend"], endpoint?: string): BackendFlavour {
  if (setting === PROXY_BACKEND) throw new SetupError("A remote MCP server (backend mcp) is proxied, not opened as a REST backend.", { code: "proxy-backend" });
  if (setting !== "auto") return setting;
  return endpoint !== undefined && hostOf(endpoint) === MEM0_PLATFORM_HOST ? "mem0-platform" : "mcp-memory-service";
}

/** The flavour for `setting`, with `auto` resolved to what detection found when it is a flavour this registry has. */
export function flavourFor(setting: Settings["backend"], detected: string | undefined, endpoint?: string): BackendFlavour {
  if (setting === "auto" && detected !== undefined && Object.hasOwn(BACKENDS, detected)) return detected as BackendFlavour;
  return resolveFlavour(setting, endpoint);
}

/** --auth-scheme, else the flavour's own (bearer for a remote MCP server, unless login found it to be the Mem0 MCP server). */
export function authSchemeFor(settings: Pick<Settings, "backend" | "authScheme" | "endpoint">): AuthScheme {
  if (settings.backend === PROXY_BACKEND) return settings.authScheme ?? "bearer";
  return settings.authScheme ?? BACKENDS[resolveFlavour(settings.backend, settings.endpoint)].defaultAuthScheme;
}

function hostOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).hostname;
  } catch {
    return undefined;
  }
}
