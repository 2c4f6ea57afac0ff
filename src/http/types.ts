import type { SecretRedactor } from "../core/secrets.js";
import type { Logger } from "../log.js";

/**
 * Which failures of a request may be retried (contracts/cli.md "Transport").
 * - "idempotent": reads, updates, deletes, and stores to a backend that deduplicates —
 *   every retryable failure (connect errors, resets, timeouts, 502/503/504, 429).
 * - "unsent-only": stores to a backend that does not deduplicate — only failures where the
 *   request cannot have reached the server (connect errors) or was explicitly refused unprocessed
 *   (429, 503).
 */
export type RetryClass = "idempotent" | "unsent-only";

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the endpoint's base URL, starting with "/", e.g. "/memories/abc". */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialized as JSON when present. */
  body?: unknown;
  retry: RetryClass;
  /** Send the auth header (default true). Public endpoints such as /health pass false. */
  auth?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; undefined when empty; the raw text for a non-2xx body that is not JSON. */
  body: unknown;
  /** How many attempts it took (1 = no retry). */
  attempts: number;
}

export interface RequestContext {
  /** Absolute deadline (ms since epoch) covering every attempt, backoff included. */
  deadline: number;
  /** Client cancellation; aborts the in-flight attempt and any backoff sleep. */
  signal?: AbortSignal;
  /** The configured per-call timeout the deadline came from, named in a DeadlineError's message. */
  timeoutMs?: number;
  /**
   * Takes over the large-body permit of a big answer (see LargeBodyGate) instead of it being
   * released once the body is parsed: the caller releases it when it no longer holds the answer
   * (a tool call, once its reply is written), so large answers go through one at a time end to end.
   */
  retain?: (release: () => void) => void;
}

/**
 * One endpoint's HTTP client. Returns the final response for 2xx and for 4xx other than
 * 401/403; throws a BridgeError (http/errors.ts) for everything else.
 */
export interface HttpClient {
  /** Canonical base URL (contracts/cli.md "Credentials": scheme, lower-case host, port, path). */
  readonly endpoint: string;
  request(req: HttpRequest, ctx: RequestContext): Promise<HttpResponse>;
  /** `text` with this client's credential removed, for quoting server answers in messages. */
  redact(text: string): string;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  endpoint: string;
  /** Added only to requests to the endpoint's own origin. */
  auth?: { header: string; value: string };
  allowHttp?: boolean;
  /** Extra CA certificates (PEM file), in addition to the system/Node CAs. */
  caFile?: string;
  connectTimeoutMs?: number;
  /** Largest response body read (--max-response-bytes); a longer one fails the call. */
  maxResponseBytes?: number;
  /** Most connections open at once to the origin (--max-connections); further requests queue. */
  maxConnections?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  logger?: Logger;
  /** The process's secrets registry; the auth value is added to it. Default: one of the client's own. */
  secrets?: SecretRedactor;
  /** Injected for deterministic tests. */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Opens a client for one endpoint (injected, so commands and tests choose how). */
export type HttpClientFactory = (options: HttpClientOptions) => Promise<HttpClient>;
