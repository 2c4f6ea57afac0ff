import type { Settings } from "../config/settings.js";
import { SetupError } from "../core/errors.js";
import { PROXY_BACKEND, type AuthScheme, type BackendFlavour } from "../core/unions.js";
import { UnsupportedBackendError } from "./errors.js";
import { mcpMemoryService } from "./mcp-memory-service.js";
import type { BackendDefinition } from "./types.js";

/** Not in this version yet: accepted as a setting, refused when a backend is opened. */
function notSupportedYet(flavour: BackendFlavour, defaultAuthScheme: AuthScheme): BackendDefinition {
  return {
    defaultAuthScheme,
    create() {
      throw new UnsupportedBackendError(flavour);
    },
  };
}

/** One line per flavour. */
export const BACKENDS: Record<BackendFlavour, BackendDefinition> = {
  "mcp-memory-service": mcpMemoryService,
  mem0: notSupportedYet("mem0", "x-api-key"),
  "mem0-platform": notSupportedYet("mem0-platform", "token"),
};

/** `auto` resolves to mcp-memory-service until flavour detection lands. A remote MCP server has no REST backend. */
export function resolveFlavour(setting: Settings["backend"]): BackendFlavour {
  if (setting === PROXY_BACKEND) throw new SetupError("A remote MCP server (backend mcp) is proxied, not opened as a REST backend.", { code: "proxy-backend" });
  return setting === "auto" ? "mcp-memory-service" : setting;
}

/** The flavour for `setting`, with `auto` resolved to what detection found when it is a flavour this registry has. */
export function flavourFor(setting: Settings["backend"], detected: string | undefined): BackendFlavour {
  if (setting === "auto" && detected !== undefined && Object.hasOwn(BACKENDS, detected)) return detected as BackendFlavour;
  return resolveFlavour(setting);
}

/** --auth-scheme, else the flavour's own (bearer for a remote MCP server, unless login found it to be the Mem0 MCP server). */
export function authSchemeFor(settings: Pick<Settings, "backend" | "authScheme">): AuthScheme {
  if (settings.backend === PROXY_BACKEND) return settings.authScheme ?? "bearer";
  return settings.authScheme ?? BACKENDS[resolveFlavour(settings.backend)].defaultAuthScheme;
}
