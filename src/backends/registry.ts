import type { Settings } from "../config/settings.js";
import type { AuthScheme, BackendFlavour } from "../core/unions.js";
import type { HttpClient } from "../http/types.js";
import { UnsupportedBackendError } from "./errors.js";
import { createMcpMemoryServiceBackend } from "./mcp-memory-service.js";
import type { MemoryBackend } from "./types.js";

/** The auth header each flavour expects by default (contracts/backends.md). */
export const DEFAULT_AUTH_SCHEME: Record<BackendFlavour, AuthScheme> = {
  "mcp-memory-service": "bearer",
  mem0: "x-api-key",
  "mem0-platform": "token",
};

export function authHeader(scheme: AuthScheme, token: string): { header: string; value: string } {
  switch (scheme) {
    case "bearer":
      return { header: "authorization", value: `Bearer ${token}` };
    case "token":
      return { header: "authorization", value: `Token ${token}` };
    case "x-api-key":
      return { header: "x-api-key", value: token };
  }
}

/** `auto` resolves to mcp-memory-service until flavour detection lands. */
export function resolveFlavour(setting: Settings["backend"]): BackendFlavour {
  return setting === "auto" ? "mcp-memory-service" : setting;
}

export function createBackend(flavour: BackendFlavour, http: HttpClient): MemoryBackend {
  switch (flavour) {
    case "mcp-memory-service":
      return createMcpMemoryServiceBackend({ http });
    case "mem0":
    case "mem0-platform":
      throw new UnsupportedBackendError(flavour);
  }
}
