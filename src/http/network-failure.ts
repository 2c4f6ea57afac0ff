import type { AttemptFailure } from "./retry.js";

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "ERR_TLS_HANDSHAKE_TIMEOUT",
]);

// A reset can come before or after the request was written; we cannot tell, so it counts as sent.
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "UND_ERR_SOCKET"]);

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Maps an error thrown by undici/Node during one attempt to what the retry policy needs. */
export function classifyNetworkError(err: unknown): AttemptFailure {
  const code = errorCode(err);
  if (CONNECT_CODES.has(code)) return { kind: "connect", code };
  if (NETWORK_CODES.has(code)) return { kind: "network", code };
  if (TIMEOUT_CODES.has(code)) return { kind: "timeout", code };
  if (TLS_CODES.has(code) || code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_")) {
    return { kind: "tls", code };
  }
  return { kind: "other", code };
}

function errorCode(err: unknown): string {
  if (typeof err !== "object" || err === null) return "UNKNOWN";
  const e = err as { code?: unknown; errors?: unknown; cause?: unknown; name?: unknown };
  if (typeof e.code === "string") return e.code;
  // Happy-eyeballs connects (autoSelectFamily) fail with an AggregateError of per-address errors.
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  if (e.cause !== undefined && e.cause !== err) return errorCode(e.cause);
  return typeof e.name === "string" ? e.name : "UNKNOWN";
}
