import { canonicalEndpoint } from "../http/url.js";

/**
 * The single place a configured endpoint becomes the canonical URL Settings carries (and the
 * keychain account). Throws on an invalid value; loadSettings turns that into a ConfigError
 * naming the flag, variable or profile field it came from.
 */
export function normalizeEndpoint(raw: string): string {
  return canonicalEndpoint(raw);
}

/**
 * Used when no endpoint is configured (until discovery exists): mcp-memory-service's default port,
 * spelled as in the README and `login` examples, since tokens are stored under the exact endpoint.
 */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:8000/api";
