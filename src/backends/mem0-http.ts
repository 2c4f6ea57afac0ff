import { quoteRedacted } from "../core/secrets.js";
import { DeadlineError, UnreachableError, type TransportError } from "../http/errors.js";
import { extractServerReason } from "../http/server-reason.js";
import type { HttpClient, HttpRequest, HttpResponse } from "../http/types.js";
import { AmbiguousStoreError, MemoryNotFoundError, RefusedChangeError, UnexpectedResponseError } from "./errors.js";
import type { BackendStatus, CallContext } from "./types.js";

/** What the three mem0 backends share about talking to their servers. */

/**
 * A store to a server that does not deduplicate: sent once (retried only when it cannot have been
 * processed), and a failure after the request may have arrived is an AmbiguousStoreError.
 */
export async function sendStore(http: HttpClient, req: Omit<HttpRequest, "retry">, ctx: CallContext): Promise<HttpResponse> {
  try {
    return await http.request({ ...req, retry: "unsent-only" }, ctx);
  } catch (error) {
    if (isAmbiguous(error)) throw new AmbiguousStoreError(http.endpoint, error, false);
    throw error;
  }
}

/** The body of a 2xx answer; anything else is an UnexpectedResponseError naming `call` and what the server said. */
export function expectOk(http: HttpClient, res: HttpResponse, call: string): unknown {
  if (res.status >= 200 && res.status < 300) return res.body;
  const said = reasonOf(http, res.body);
  throw new UnexpectedResponseError(http.endpoint, `${call} answered ${res.status}${said === undefined ? "" : `: ${said}`}`);
}

/** A 4xx answer to a change: the server refused it, saying why. */
export function refused(http: HttpClient, res: HttpResponse, change: string): RefusedChangeError {
  return new RefusedChangeError(http.endpoint, change, reasonOf(http, res.body) ?? `status ${res.status}`);
}

/**
 * The answer to an update or delete of one memory: 2xx is done, 404 is not found (or, for a
 * request that was retried, `goneIsDone`: our own earlier attempt removed it), anything else refused.
 */
export function settleChange(http: HttpClient, res: HttpResponse, id: string, what: "updated" | "deleted", goneIsDone: boolean): void {
  if (res.status >= 200 && res.status < 300) return;
  if (res.status === 404) {
    if (goneIsDone) return;
    throw new MemoryNotFoundError(id);
  }
  throw refused(http, res, `Memory ${id} was not ${what}`);
}

/** What the server said in an error body (FastAPI `detail`, the platform's `error`/`details`), redacted and bounded. */
export function reasonOf(http: HttpClient, body: unknown): string | undefined {
  const details = typeof body === "object" && body !== null ? (body as { details?: unknown }).details : undefined;
  const nested = typeof details === "object" && details !== null ? (details as { message?: unknown }).message : undefined;
  const found = extractServerReason(body);
  const reason = typeof nested === "string" ? nested : (found.reason ?? found.code);
  return reason === undefined ? undefined : http.redact(reason.slice(0, 300));
}

const MAX_INFO_CHARS = 100;

/** The text fields of `answer` named in `keys`, as status and login show them: short, the token redacted (a server may echo anything back). */
export function serverFacts(http: HttpClient, answer: unknown, keys: readonly string[]): Record<string, string> {
  const facts: Record<string, string> = {};
  if (typeof answer !== "object" || answer === null) return facts;
  for (const key of keys) {
    const value = (answer as Record<string, unknown>)[key];
    if (typeof value === "string") facts[key] = quoteRedacted(value, http.redact, MAX_INFO_CHARS);
  }
  return facts;
}

/**
 * Reachability by `probe` (a public call where the server has one), then whether the token is
 * accepted by `verify`. Never throws.
 */
export async function probeStatus(
  now: () => number,
  probe: () => Promise<unknown>,
  verify: () => Promise<Record<string, unknown>>,
): Promise<BackendStatus> {
  const started = now();
  try {
    await probe();
  } catch (error) {
    return { reachable: false, error: asError(error) };
  }
  const latency_ms = now() - started;
  try {
    return { reachable: true, latency_ms, tokenAccepted: true, server: await verify() };
  } catch (error) {
    return { reachable: true, latency_ms, tokenAccepted: false, error: asError(error) };
  }
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function isAmbiguous(error: unknown): error is TransportError {
  return (error instanceof UnreachableError || error instanceof DeadlineError) && error.maybeSent;
}
