import { isSensitiveKey } from "../core/secrets.js";

/**
 * The headers a remote MCP server gets: the credential (per auth scheme) and the user's extra,
 * non-secret `--header "Name: value"` ones. Pure; the edge words the problems.
 */

export type ProxyAuthScheme = "bearer" | "x-api-key" | "token" | "x-mcp-token";

export interface AuthHeaderSet {
  /** Carry the token: sent only to the endpoint's origin and redacted from every log line. */
  secret: Record<string, string>;
  /** Sent with them, not secret (X-MCP-UserID). */
  plain: Record<string, string>;
}

/** contracts/cli.md: `x-mcp-token` sends `X-MCP-Token: <token>` and `X-MCP-UserID: <user id>` (backends.md §5). */
export function authHeadersFor(scheme: ProxyAuthScheme, token: string, userId: string): AuthHeaderSet {
  switch (scheme) {
    case "bearer":
      return { secret: { Authorization: `Bearer ${token}` }, plain: {} };
    case "token":
      return { secret: { Authorization: `Token ${token}` }, plain: {} };
    case "x-api-key":
      return { secret: { "X-API-Key": token }, plain: {} };
    case "x-mcp-token":
      return { secret: { "X-MCP-Token": token }, plain: { "X-MCP-UserID": userId } };
  }
}

export type HeaderProblem =
  /** Not `Name: value`, or the name is not an HTTP token. */
  | { kind: "malformed"; input: string }
  /** CR, LF or NUL in the value. */
  | { kind: "invalid-value"; name: string }
  /** Set by the bridge or the transport itself (auth scheme, session, content negotiation, framing). */
  | { kind: "reserved"; name: string; use?: "--auth-scheme" | "--user-id" }
  /** Named like a credential: secrets come from the keychain, never from the command line. */
  | { kind: "credential"; name: string }
  /** The value contains the stored token. */
  | { kind: "carries-token"; name: string };

export type ExtraHeaders = { ok: true; headers: Record<string, string> } | { ok: false; problem: HeaderProblem };

const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const RESERVED: Record<string, "--auth-scheme" | "--user-id" | undefined> = {
  authorization: "--auth-scheme",
  "proxy-authorization": undefined,
  "x-api-key": "--auth-scheme",
  "x-mcp-token": "--auth-scheme",
  "x-mcp-userid": "--user-id",
  cookie: undefined,
  host: undefined,
  "content-length": undefined,
  "content-type": undefined,
  "transfer-encoding": undefined,
  connection: undefined,
  upgrade: undefined,
  te: undefined,
  trailer: undefined,
  accept: undefined,
  "mcp-session-id": undefined,
  "mcp-protocol-version": undefined,
  "last-event-id": undefined,
};

/** `Name: value` (as `--header` takes it) → [name, value], or undefined when malformed. */
export function parseHeaderLine(line: string): [string, string] | undefined {
  const colon = line.indexOf(":");
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trim();
  return TOKEN_NAME.test(name) ? [name, line.slice(colon + 1).trim()] : undefined;
}

/**
 * Checks the extra headers (from `--header` lines or MEMORY_BRIDGE_HEADERS' object) and returns
 * them keyed by their given names. `token`, when known, must not appear in any value.
 */
export function checkExtraHeaders(input: readonly string[] | Record<string, string>, token?: string): ExtraHeaders {
  const pairs: [string, string][] = [];
  if (Array.isArray(input)) {
    for (const line of input as readonly string[]) {
      const pair = parseHeaderLine(line);
      if (pair === undefined) return { ok: false, problem: { kind: "malformed", input: line.slice(0, 80) } };
      pairs.push(pair);
    }
  } else {
    for (const [name, value] of Object.entries(input)) {
      if (!TOKEN_NAME.test(name)) return { ok: false, problem: { kind: "malformed", input: name.slice(0, 80) } };
      pairs.push([name, value]);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (Object.hasOwn(RESERVED, lower)) {
      const use = RESERVED[lower];
      return { ok: false, problem: { kind: "reserved", name, ...(use === undefined ? {} : { use }) } };
    }
    if (isSensitiveKey(name)) return { ok: false, problem: { kind: "credential", name } };
    if (/[\r\n\0]/.test(value)) return { ok: false, problem: { kind: "invalid-value", name } };
    if (token !== undefined && token.trim() !== "" && value.includes(token.trim())) {
      return { ok: false, problem: { kind: "carries-token", name } };
    }
    headers[name] = value;
  }
  return { ok: true, headers };
}
