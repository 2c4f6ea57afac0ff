import { BridgeError } from "./errors.js";

/**
 * Used when no endpoint is configured (until discovery exists): mcp-memory-service's default port,
 * spelled as in the README and `login` examples, since tokens are stored under the exact endpoint.
 */
export const DEFAULT_ENDPOINT = "http://127.0.0.1:8000/api";

/** An endpoint that is not an http(s) URL. */
export class InvalidEndpointError extends BridgeError {
  override name = "InvalidEndpointError";

  /** `shown` must already be stripped of userinfo (it may hold a password or token). */
  constructor(
    readonly shown: string,
    readonly problem: string,
  ) {
    super(`"${shown}" is not a usable endpoint URL (${problem}).`, { code: "invalid-endpoint" });
  }
}

/**
 * The canonical form of an endpoint (contracts/cli.md "Credentials"): scheme, lower-case host,
 * port only when not the scheme's default, base path without trailing slash; no userinfo,
 * query or fragment. Tokens are stored under this string, so equal servers must map to it equally.
 */
export function canonicalEndpoint(input: string): string {
  const url = parseEndpoint(input);
  const path = url.pathname.replace(/\/+$/, "");
  // WHATWG URL already lower-cases the host, drops default ports and normalizes IPv4/IPv6 literals.
  return `${url.protocol}//${url.host}${path}`;
}

/** Parses an endpoint, accepting only http: and https:. */
export function parseEndpoint(input: string): URL {
  const trimmed = input.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    const problem = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
      ? "malformed URL"
      : "it must start with https:// or http://";
    throw new InvalidEndpointError(shownInput(trimmed), problem);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    // "localhost:8000" parses with the scheme "localhost:", hence the hint about the scheme.
    throw new InvalidEndpointError(
      shownInput(trimmed),
      `the scheme ${url.protocol} is not supported; it must start with https:// or http://`,
    );
  }
  if (url.hostname === "") throw new InvalidEndpointError(shownInput(trimmed), "no host name");
  return url;
}

/** True for localhost, 127.0.0.0/8 and ::1 (with or without brackets). Takes a host name without port. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (h === "localhost") return true;
  const bare = h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  // IPv4-mapped loopback as WHATWG URL prints it: [::ffff:7f00:1]
  if (/^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare)) return true;
  return isIpv4Loopback(bare);
}

const LOOPBACK_SPELLINGS = ["127.0.0.1", "localhost", "[::1]"];

/**
 * The same loopback endpoint under the other usual host spellings (contracts/cli.md: 127.0.0.1,
 * localhost and [::1] with the same port and path count as the same endpoint), for finding a token
 * stored under one of them. Empty for any other endpoint.
 */
export function loopbackSpellings(endpoint: string): string[] {
  const url = parseEndpoint(endpoint);
  if (!LOOPBACK_SPELLINGS.includes(url.hostname)) return [];
  const path = url.pathname.replace(/\/+$/, "");
  const port = url.port ? `:${url.port}` : "";
  return LOOPBACK_SPELLINGS.filter((host) => host !== url.hostname).map((host) => `${url.protocol}//${host}${port}${path}`);
}

function isIpv4Loopback(host: string): boolean {
  const parts = host.split(".");
  if (parts.length !== 4 || parts[0] !== "127") return false;
  return parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The input as it may be shown in a message: userinfo, query and fragment (which may hold secrets) removed. */
function shownInput(input: string): string {
  const shown = input.replace(/[?#].*$/s, "").replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/@]*@/i, "$1");
  return shown.length > 100 ? `${shown.slice(0, 99)}…` : shown;
}
