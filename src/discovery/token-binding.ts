import { canonicalEndpoint, parseEndpoint } from "../core/endpoint.js";

/**
 * A token is sent only to the endpoint it was stored for (contracts/cli.md "Transport"). For
 * loopback, 127.0.0.1, localhost and [::1] name the same server: with the same scheme, port and
 * path they count as one endpoint, so a token stored for http://localhost:8000/api is found for a
 * discovered http://127.0.0.1:8000/api.
 */

const LOOPBACK_SPELLINGS = ["127.0.0.1", "localhost", "[::1]"] as const;

/**
 * The keychain accounts that may hold the token for `endpoint`, the exact one first. Throws
 * (InvalidEndpointError) when `endpoint` is not a usable URL.
 */
export function tokenAccountsFor(endpoint: string): string[] {
  const exact = canonicalEndpoint(endpoint);
  const url = parseEndpoint(endpoint);
  if (!(LOOPBACK_SPELLINGS as readonly string[]).includes(url.hostname)) return [exact];
  const port = url.port === "" ? "" : `:${url.port}`;
  const path = url.pathname.replace(/\/+$/, "");
  const aliases = LOOPBACK_SPELLINGS.map((host) => `${url.protocol}//${host}${port}${path}`);
  return [exact, ...aliases.filter((a) => a !== exact)];
}

/** Whether a token stored for one of these endpoints may be sent to the other. False when either is not a usable URL. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    return tokenAccountsFor(a).includes(canonicalEndpoint(b));
  } catch {
    return false;
  }
}
