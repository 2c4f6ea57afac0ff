import { BridgeError } from "../errors.js";

/**
 * The HTTP layer's failures. Every `message` is one plain sentence saying what failed and what to
 * do next; none ever contains a token (server reasons are redacted before they get here).
 */

const CLI = "npx mcp-memory-bridge";

export interface TransportErrorInit {
  /** Canonical endpoint URL (never with userinfo or query). */
  endpoint: string;
  /** Attempts made before giving up (0 when nothing was sent). */
  attempts: number;
  /**
   * The request may have reached the server and been acted on, so the outcome of a non-idempotent
   * call is unknown. False when every attempt failed before the request could be sent, or was
   * answered with a refusal that means "not processed" (401, 403, 429, 503).
   */
  maybeSent: boolean;
  cause?: unknown;
}

/** Base of every failure that happened while talking to the memory server. */
export class TransportError extends BridgeError {
  override name = "TransportError";
  readonly endpoint: string;
  readonly attempts: number;
  readonly maybeSent: boolean;

  constructor(message: string, init: TransportErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.endpoint = init.endpoint;
    this.attempts = init.attempts;
    this.maybeSent = init.maybeSent;
  }
}

export interface AuthErrorInit extends TransportErrorInit {
  status: number;
  /** e.g. authorization_required, invalid_token, insufficient_scope */
  code?: string;
  serverReason?: string;
  /** Whether the request carried the auth header. */
  tokenSent: boolean;
}

/** 401 or 403: the token is missing, wrong, or lacks a scope. Never retried. */
export class AuthError extends TransportError {
  override name = "AuthError";
  readonly status: number;
  readonly code: string | undefined;
  readonly serverReason: string | undefined;
  readonly tokenSent: boolean;

  constructor(init: AuthErrorInit) {
    super(authMessage(init), init);
    this.status = init.status;
    this.code = init.code;
    this.serverReason = init.serverReason;
    this.tokenSent = init.tokenSent;
  }
}

function authMessage(init: AuthErrorInit): string {
  const login = `Run: ${CLI} login ${init.endpoint}`;
  const said = init.code ?? (init.serverReason === undefined ? undefined : trimEnd(init.serverReason));
  const because = said === undefined ? "" : ` (${said})`;
  if (init.status === 403) {
    return `Access denied (403) at ${init.endpoint}: the token lacks the scope this call needs${because}; log in with a token that has it. ${login}`;
  }
  if (!init.tokenSent) {
    return `Authentication required (${init.status}) at ${init.endpoint}: no token is configured for this endpoint, so none was sent${because}. ${login}`;
  }
  if (init.code === "authorization_required") {
    return `Authentication required (${init.status}) at ${init.endpoint}: the server did not find a token it accepts in the request${because}; check --auth-scheme, or log in again. ${login}`;
  }
  return `Authentication failed (${init.status}) at ${init.endpoint}: the server rejected the token${because}. ${login}`;
}

export interface UnreachableErrorInit extends TransportErrorInit {
  /** Node/undici error code, e.g. ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET. */
  causeCode: string;
}

/** Connection refused, DNS failure, connect timeout, or the connection dropped mid-request. */
export class UnreachableError extends TransportError {
  override name = "UnreachableError";
  readonly causeCode: string;

  constructor(init: UnreachableErrorInit) {
    super(unreachableMessage(init), init);
    this.causeCode = init.causeCode;
  }
}

const NETWORK_CAUSES: Record<string, { text: string; connecting: boolean }> = {
  ECONNREFUSED: { text: "connection refused", connecting: true },
  ENOTFOUND: { text: "host name not found", connecting: true },
  EAI_AGAIN: { text: "DNS lookup failed", connecting: true },
  EAI_FAIL: { text: "DNS lookup failed", connecting: true },
  UND_ERR_CONNECT_TIMEOUT: { text: "connection timed out", connecting: true },
  ETIMEDOUT: { text: "connection timed out", connecting: true },
  EHOSTUNREACH: { text: "host unreachable", connecting: true },
  ENETUNREACH: { text: "network unreachable", connecting: true },
  EHOSTDOWN: { text: "host down", connecting: true },
  ENETDOWN: { text: "network down", connecting: true },
  EADDRNOTAVAIL: { text: "address not available", connecting: true },
  ECONNRESET: { text: "connection reset", connecting: false },
  ECONNABORTED: { text: "connection aborted", connecting: false },
  EPIPE: { text: "connection closed by the server", connecting: false },
  UND_ERR_SOCKET: { text: "connection closed by the server", connecting: false },
  UND_ERR_HEADERS_TIMEOUT: { text: "no response in time", connecting: false },
  UND_ERR_BODY_TIMEOUT: { text: "the response stalled", connecting: false },
};

function unreachableMessage(init: UnreachableErrorInit): string {
  const cause = NETWORK_CAUSES[init.causeCode] ?? { text: init.causeCode, connecting: false };
  const tries = plural(init.attempts, "attempt");
  if (cause.connecting) {
    return `Cannot reach the memory server at ${init.endpoint} (${cause.text}) after ${tries}. Check that it is running and that the URL is right, or run: ${CLI} doctor`;
  }
  return `Lost the connection to the memory server at ${init.endpoint} (${cause.text}) after ${tries}. Check the server's logs and the network, or run: ${CLI} doctor`;
}

export interface DeadlineErrorInit extends TransportErrorInit {
  timeoutMs: number;
}

/** The per-call deadline passed (it covers every attempt and backoff). */
export class DeadlineError extends TransportError {
  override name = "DeadlineError";
  readonly timeoutMs: number;

  constructor(init: DeadlineErrorInit) {
    super(
      `The memory server at ${init.endpoint} did not answer within the ${init.timeoutMs} ms deadline (${plural(init.attempts, "attempt")}); raise it with --timeout MS (MEMORY_BRIDGE_TIMEOUT_MS) or check why the server is slow.`,
      init,
    );
    this.timeoutMs = init.timeoutMs;
  }
}

export interface ServerErrorInit extends TransportErrorInit {
  status: number;
  /** The server's own detail/error text, truncated and redacted. */
  detail?: string;
  /** The id the server gave this request (mem0's `X-Request-ID` / `request_id`), for finding it in its logs. */
  requestId?: string;
}

/** A 5xx answer (after retries when the status is retryable). */
export class ServerError extends TransportError {
  override name = "ServerError";
  readonly status: number;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;

  constructor(init: ServerErrorInit) {
    const after = init.attempts > 1 ? ` after ${plural(init.attempts, "attempt")}` : "";
    const status = init.requestId === undefined ? `${init.status}` : `${init.status}, request id ${init.requestId}`;
    const message =
      init.detail === undefined
        ? `The memory server at ${init.endpoint} failed (${status})${after}; try again later or check the server's logs.`
        : `The memory server at ${init.endpoint} failed (${status})${after}: ${withFullStop(init.detail)}`;
    super(message, init);
    this.status = init.status;
    this.detail = init.detail;
    this.requestId = init.requestId;
  }
}

export interface RateLimitedErrorInit extends TransportErrorInit {
  retryAfterMs?: number;
}

/** 429 after retries, or a Retry-After that does not fit before the deadline. */
export class RateLimitedError extends TransportError {
  override name = "RateLimitedError";
  readonly retryAfterMs: number | undefined;

  constructor(init: RateLimitedErrorInit) {
    const wait =
      init.retryAfterMs === undefined
        ? "wait a moment"
        : `wait ${Math.max(1, Math.ceil(init.retryAfterMs / 1000))} s`;
    super(
      `The memory server at ${init.endpoint} is rate limiting requests (429) after ${plural(init.attempts, "attempt")}; ${wait} and try again.`,
      init,
    );
    this.retryAfterMs = init.retryAfterMs;
  }
}

export interface ResponseFormatErrorInit extends TransportErrorInit {
  method: string;
  path: string;
  contentType?: string;
}

/** A 2xx answer whose body is not JSON: usually the wrong endpoint URL. */
export class ResponseFormatError extends TransportError {
  override name = "ResponseFormatError";

  constructor(init: ResponseFormatErrorInit) {
    const type = init.contentType === undefined ? "" : ` (${init.contentType})`;
    super(
      `The server at ${init.endpoint} answered ${init.method} ${init.path} with a body that is not JSON${type}; check that the endpoint URL is right (mcp-memory-service's base URL ends in /api).`,
      init,
    );
  }
}

export interface ResponseTooLargeErrorInit extends TransportErrorInit {
  limitBytes: number;
}

/** A response body longer than --max-response-bytes: the request was aborted when it passed the cap. */
export class ResponseTooLargeError extends TransportError {
  override name = "ResponseTooLargeError";
  readonly limitBytes: number;

  constructor(init: ResponseTooLargeErrorInit) {
    super(
      `The memory server at ${init.endpoint} sent a response larger than the ${describeBytes(init.limitBytes)} limit (--max-response-bytes, MEMORY_BRIDGE_MAX_RESPONSE_BYTES), so it was cut off; ask for fewer or smaller results (a lower limit or page_size), or raise the limit if the server is trusted.`,
      init,
    );
    this.limitBytes = init.limitBytes;
  }
}

/** "33554432-byte (32 MiB)", "65536-byte (64 KiB)", "100000-byte". */
export function describeBytes(bytes: number): string {
  const binary = bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : undefined;
  return binary === undefined ? `${bytes}-byte` : `${bytes}-byte (${binary})`;
}

/** A request path with a "." or ".." segment (also percent-encoded): never sent. */
export class UnsafePathError extends BridgeError {
  override name = "UnsafePathError";
  readonly path: string;

  constructor(method: string, path: string) {
    super(
      `Refused to send ${method} ${path}: a "." or ".." path segment would make the server act on another resource than the one named. Check the id.`,
    );
    this.path = path;
  }
}

export type RedirectProblem =
  | { kind: "cross-origin"; targetOrigin: string }
  | { kind: "too-many"; limit: number }
  | { kind: "no-location"; status: number };

/** A redirect the bridge will not follow. */
export class RedirectError extends TransportError {
  override name = "RedirectError";
  readonly problem: RedirectProblem;

  constructor(init: TransportErrorInit & { problem: RedirectProblem }) {
    super(redirectMessage(init.endpoint, init.problem), init);
    this.problem = init.problem;
  }
}

function redirectMessage(endpoint: string, problem: RedirectProblem): string {
  switch (problem.kind) {
    case "cross-origin":
      return `The server at ${endpoint} redirected to another origin (${problem.targetOrigin}), which the bridge does not follow so that the token stays with its endpoint; set the endpoint to the final URL instead.`;
    case "too-many":
      return `The server at ${endpoint} redirected more than ${problem.limit} times; set the endpoint to the final URL instead.`;
    case "no-location":
      return `The server at ${endpoint} answered ${problem.status} without a Location header; check that the endpoint URL is right.`;
  }
}

export interface TlsErrorInit extends TransportErrorInit {
  /** e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID */
  causeCode: string;
}

/** The TLS handshake or certificate verification failed. Never retried. */
export class TlsError extends TransportError {
  override name = "TlsError";
  readonly causeCode: string;

  constructor(init: TlsErrorInit) {
    super(tlsMessage(init), init);
    this.causeCode = init.causeCode;
  }
}

const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in the chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unable to verify the first certificate",
  UNABLE_TO_GET_ISSUER_CERT: "unknown certificate issuer",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unknown certificate issuer",
  CERT_UNTRUSTED: "untrusted certificate",
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not yet valid",
  CERT_REVOKED: "certificate revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate does not match the host name",
};

function tlsMessage(init: TlsErrorInit): string {
  if (init.causeCode === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `TLS certificate verification failed for ${init.endpoint} (${TLS_CAUSES[init.causeCode]}); use the host name the certificate was issued for in the endpoint URL.`;
  }
  if (init.causeCode.startsWith("ERR_SSL_")) {
    return `The TLS handshake with ${init.endpoint} failed (${init.causeCode}); check that the server speaks HTTPS on that port, or use http:// for a local server.`;
  }
  const what = TLS_CAUSES[init.causeCode] ?? init.causeCode;
  return `TLS certificate verification failed for ${init.endpoint} (${what}); if the server uses a private or self-signed CA, pass its certificate with --ca-file PATH (MEMORY_BRIDGE_CA_FILE).`;
}

/** The client cancelled the call (MCP notifications/cancelled). */
export class CancelledError extends TransportError {
  override name = "CancelledError";

  constructor(init: TransportErrorInit) {
    super(
      `The request to the memory server at ${init.endpoint} was cancelled by the client; run the tool again if that was not intended.`,
      init,
    );
  }
}

/** Plain http:// to a host other than loopback, without --allow-http. Nothing was sent. */
export class InsecureEndpointError extends BridgeError {
  override name = "InsecureEndpointError";
  readonly endpoint: string;

  constructor(endpoint: string) {
    super(
      `Refusing plain http:// to ${endpoint}: the token and memories would cross the network unencrypted; use https://, or pass --allow-http (MEMORY_BRIDGE_ALLOW_HTTP=1) if you trust this network.`,
    );
    this.endpoint = endpoint;
  }
}

/** An endpoint that is not an http(s) URL. */
export class InvalidEndpointError extends BridgeError {
  override name = "InvalidEndpointError";

  /** `shown` must already be stripped of userinfo (it may hold a password or token). */
  constructor(shown: string, problem: string) {
    super(
      `"${shown}" is not a usable endpoint URL (${problem}); give the server's full base URL, e.g. https://mem.example.com/api.`,
    );
  }
}

/** The --ca-file could not be read. */
export class CaFileError extends BridgeError {
  override name = "CaFileError";
  readonly path: string;

  constructor(path: string, causeCode: string, cause?: unknown) {
    super(
      `Cannot read the CA file ${path} (${causeCode}); check the path given to --ca-file (MEMORY_BRIDGE_CA_FILE).`,
      cause === undefined ? undefined : { cause },
    );
    this.path = path;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function trimEnd(text: string): string {
  return text.replace(/[.\s]+$/, "");
}

function withFullStop(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
