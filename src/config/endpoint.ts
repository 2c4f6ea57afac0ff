import { canonicalEndpoint } from "../http/url.js";

/**
 * The single place a configured endpoint becomes the canonical URL Settings carries (and the
 * keychain account). Throws on an invalid value; loadSettings turns that into a ConfigError
 * naming the flag, variable or profile field it came from.
 */
export function normalizeEndpoint(raw: string): string {
  return canonicalEndpoint(raw);
}
