import { BridgeError } from "../core/errors.js";

/**
 * The HTTP layer's failures, each with a code and its facts. `message` states what happened in one
 * sentence; what to do about it is added at the edge (mcp/error-words.ts), which knows the
 * commands and flags. None ever contains a token (server reasons are redacted before they get here).
 */

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

  constructor(code: string, message: string, init: TransportErrorInit) {
    super(message, { code, cause: init.cause });
    this.endpoint = init.endpoint;
    this.attempts = init.attempts;
    this.maybeSent = init.maybeSent;
  }
}

const NO_CREDENTIALS_403 = "Not authenticated";

export interface AuthErrorInit extends TransportErrorInit {
  status: number;
  /** The server's own code, e.g. authorization_required, invalid_token, insufficient_scope. */
  serverCode?: string;
  serverReason?: string;
  /** Whether the request carried the auth header. */
  tokenSent: boolean;
}

/**
 * 401 or 403: the token is missing, wrong, or lacks a scope. Never retried. Codes: auth-scope
 * (403), auth-missing (no token was sent), auth-not-found (the server found no token it accepts:
 * often the wrong scheme), auth-rejected. FastAPI's security classes answer a request without
 * their header 403 "Not authenticated" (the API-key mem0 server does): that 403 is a missing
 * token, not a missing scope.
 */
export class AuthError extends TransportError {
  override name = "AuthError";
  readonly status: number;
  readonly serverCode: string | undefined;
  readonly serverReason: string | undefined;
  readonly tokenSent: boolean;

  constructor(init: AuthErrorInit) {
    const noCredentials = init.status === 403 && init.serverReason === NO_CREDENTIALS_403;
    const code =
      init.status === 403 && !noCredentials
        ? "auth-scope"
        : !init.tokenSent
          ? "auth-missing"
          : init.serverCode === "authorization_required" || noCredentials
            ? "auth-not-found"
            : "auth-rejected";
    super(code, authMessage(code, init), init);
    this.status = init.status;
    this.serverCode = init.serverCode;
    this.serverReason = init.serverReason;
    this.tokenSent = init.tokenSent;
  }

  /** What the server said, code first: "invalid_token", or its reason without a full stop. */
  get said(): string | undefined {
    return serverSaid(this);
  }
}

function serverSaid(facts: { serverCode?: string | undefined; serverReason?: string | undefined }): string | undefined {
  return facts.serverCode ?? (facts.serverReason === undefined ? undefined : trimEnd(facts.serverReason));
}

function authMessage(code: string, init: AuthErrorInit): string {
  const said = serverSaid(init);
  const because = said === undefined ? "" : ` (${said})`;
  switch (code) {
    case "auth-scope":
      return `Access denied (403) at ${init.endpoint}: the token lacks the scope this call needs${because}.`;
    case "auth-missing":
      return `Authentication required (${init.status}) at ${init.endpoint}: no token is configured for this endpoint, so none was sent${because}.`;
    case "auth-not-found":
      return `Authentication required (${init.status}) at ${init.endpoint}: the server did not find a token it accepts in the request${because}.`;
    default:
      return `Authentication failed (${init.status}) at ${init.endpoint}: the server rejected the token${because}.`;
  }
}

export interface UnreachableErrorInit extends TransportErrorInit {
  /** Node/undici error code, e.g. ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET. */
  causeCode: string;
}

/**
 * Connection refused, DNS failure, connect timeout (code unreachable), or the connection dropped
 * mid-request (connection-lost).
 */
export class UnreachableError extends TransportError {
  override name = "UnreachableError";
  readonly causeCode: string;
  /** The failure came while connecting: nothing answered. */
  readonly connecting: boolean;

  constructor(init: UnreachableErrorInit) {
    const cause = NETWORK_CAUSES[init.causeCode] ?? { text: init.causeCode, connecting: false };
    const tries = plural(init.attempts, "attempt");
    super(
      cause.connecting ? "unreachable" : "connection-lost",
      cause.connecting
        ? `Cannot reach the memory server at ${init.endpoint} (${cause.text}) after ${tries}.`
        : `Lost the connection to the memory server at ${init.endpoint} (${cause.text}) after ${tries}.`,
      init,
    );
    this.causeCode = init.causeCode;
    this.connecting = cause.connecting;
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

export interface DeadlineErrorInit extends TransportErrorInit {
  timeoutMs: number;
}

/** The per-call deadline passed (it covers every attempt and backoff). */
export class DeadlineError extends TransportError {
  override name = "DeadlineError";
  readonly timeoutMs: number;

  constructor(init: DeadlineErrorInit) {
    super(
      "deadline",
      `The memory server at ${init.endpoint} did not answer within the ${init.timeoutMs} ms deadline (${plural(init.attempts, "attempt")}).`,
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
        ? `The memory server at ${init.endpoint} failed (${status})${after}.`
        : `The memory server at ${init.endpoint} failed (${status})${after}: ${withFullStop(init.detail)}`;
    super("server-failed", message, init);
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
    super("rate-limited", `The memory server at ${init.endpoint} is rate limiting requests (429) after ${plural(init.attempts, "attempt")}.`, init);
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
    super("not-json", `The server at ${init.endpoint} answered ${init.method} ${init.path} with a body that is not JSON${type}.`, init);
  }
}

export interface ResponseTooLargeErrorInit extends TransportErrorInit {
  limitBytes: number;
}

/** A response body longer than the configured cap: the request was aborted when it passed it. */
export class ResponseTooLargeError extends TransportError {
  override name = "ResponseTooLargeError";
  readonly limitBytes: number;

  constructor(init: ResponseTooLargeErrorInit) {
    super("response-too-large", "", init);
    this.limitBytes = init.limitBytes;
    this.message = this.sentence();
  }

  /** What happened; `limitName` (the edge's words for the setting) goes right after the limit. */
  sentence(limitName = ""): string {
    return `The memory server at ${this.endpoint} sent a response larger than the ${describeBytes(this.limitBytes)} limit${limitName}, so it was cut off.`;
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
      { code: "unsafe-path" },
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
    super(`redirect-${init.problem.kind}`, redirectMessage(init.endpoint, init.problem), init);
    this.problem = init.problem;
  }
}

function redirectMessage(endpoint: string, problem: RedirectProblem): string {
  switch (problem.kind) {
    case "cross-origin":
      return `The server at ${endpoint} redirected to another origin (${problem.targetOrigin}), which the bridge does not follow so that the token stays with its endpoint.`;
    case "too-many":
      return `The server at ${endpoint} redirected more than ${problem.limit} times.`;
    case "no-location":
      return `The server at ${endpoint} answered ${problem.status} without a Location header.`;
  }
}

export interface TlsErrorInit extends TransportErrorInit {
  /** e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID */
  causeCode: string;
}

/**
 * The TLS handshake (code tls-handshake) or certificate verification failed: tls-host-name when the
 * certificate is for another host, tls-certificate otherwise. Never retried.
 */
export class TlsError extends TransportError {
  override name = "TlsError";
  readonly causeCode: string;

  constructor(init: TlsErrorInit) {
    const code =
      init.causeCode === "ERR_TLS_CERT_ALTNAME_INVALID" ? "tls-host-name" : init.causeCode.startsWith("ERR_SSL_") ? "tls-handshake" : "tls-certificate";
    const message =
      code === "tls-handshake"
        ? `The TLS handshake with ${init.endpoint} failed (${init.causeCode}).`
        : `TLS certificate verification failed for ${init.endpoint} (${TLS_CAUSES[init.causeCode] ?? init.causeCode}).`;
    super(code, message, init);
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

/** The client cancelled the call (MCP notifications/cancelled). */
export class CancelledError extends TransportError {
  override name = "CancelledError";

  constructor(init: TransportErrorInit) {
    super("cancelled", `The request to the memory server at ${init.endpoint} was cancelled by the client.`, init);
  }
}

/** Plain http:// to a host other than loopback, while that is not allowed. Nothing was sent. */
export class InsecureEndpointError extends BridgeError {
  override name = "InsecureEndpointError";

  constructor(readonly endpoint: string) {
    super(`Refusing plain http:// to ${endpoint}: the token and memories would cross the network unencrypted.`, { code: "insecure-endpoint" });
  }
}

/** The extra CA file could not be read, or holds no PEM certificate. */
export class CaFileError extends BridgeError {
  override name = "CaFileError";

  constructor(
    readonly path: string,
    readonly causeCode: string,
    cause?: unknown,
  ) {
    super(`Cannot read the CA file ${path} (${causeCode}).`, { code: "ca-file", cause });
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
