import type { RetryClass } from "./types.js";

/** How one attempt failed, as far as retrying is concerned. */
export type AttemptFailure =
  /** Refused, DNS failure, connect timeout: the request was never sent. */
  | { kind: "connect"; code: string }
  /** Reset or closed after the request may have been written. */
  | { kind: "network"; code: string }
  /** The attempt waited too long for the response (headers or body timeout). */
  | { kind: "timeout"; code: string }
  /** Certificate or handshake failure: retrying cannot help. */
  | { kind: "tls"; code: string }
  /** Anything we do not recognise: not retried, treated as possibly sent. */
  | { kind: "other"; code: string }
  | { kind: "status"; status: number };

const RETRYABLE_STATUS_IDEMPOTENT = new Set([429, 502, 503, 504]);
/** Statuses that mean "refused before processing", safe to retry even for a non-idempotent call. */
const REFUSED_UNPROCESSED = new Set([429, 503]);

export function isRetryable(failure: AttemptFailure, retry: RetryClass): boolean {
  switch (failure.kind) {
    case "connect":
      return true;
    case "network":
    case "timeout":
      return retry === "idempotent";
    case "status":
      return retry === "idempotent"
        ? RETRYABLE_STATUS_IDEMPOTENT.has(failure.status)
        : REFUSED_UNPROCESSED.has(failure.status);
    case "tls":
    case "other":
      return false;
  }
}

/**
 * Whether the server may have acted on the request in this attempt, i.e. whether the outcome of a
 * non-idempotent call is unknown. 401/403/429/503 are refusals that mean "not processed".
 */
export function mayHaveBeenProcessed(failure: AttemptFailure): boolean {
  switch (failure.kind) {
    case "connect":
    case "tls":
      return false;
    case "network":
    case "timeout":
    case "other":
      return true;
    case "status":
      return !(REFUSED_UNPROCESSED.has(failure.status) || failure.status === 401 || failure.status === 403);
  }
}

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/**
 * "Full jitter" backoff before the attempt after `attempt` (1-based):
 * random() * min(cap, base * 2^(attempt-1)).
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 100;
  const cap = options.capMs ?? 2000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date; undefined when absent or invalid. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form names the month; without this, Date.parse would accept "1.5" as a date.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
