import { classifyNetworkError } from "../http/network-failure.js";
import { mayHaveBeenProcessed } from "../http/retry.js";
import { ProxyError, type ProxyFact } from "./errors.js";
import { HttpStatusError } from "./remote-fetch.js";
import { TooLargeError } from "./stream-watch.js";

/** Why a request sent to the remote got no answer, as far as sending it again is concerned. */
export type SendFailure =
  /** 404 for the session's id: the session expired; the request never ran. */
  | { kind: "expired" }
  /** The server could not be reached (refused, DNS, connect timeout, TLS): the request never ran. */
  | { kind: "unsent"; cause: string }
  /** 429 or 503: refused before processing. */
  | { kind: "refused"; status: number }
  | { kind: "auth"; status: number; reason?: string }
  /** It went out, and its answer was lost (reset, broken stream): it may or may not have run. */
  | { kind: "maybe-sent"; cause: string }
  | { kind: "too-large"; limitBytes: number }
  /** Any other status; `processed`: whether the server may have acted on it. */
  | { kind: "status"; status: number; reason?: string; processed: boolean }
  /** The session was closed while the request waited. */
  | { kind: "closed" }
  /** The caller's signal (cancellation or deadline). */
  | { kind: "aborted" }
  /** A transport policy refused it (a redirect to another origin, …). */
  | { kind: "policy"; error: ProxyError };

export class SendFailed extends Error {
  override name = "SendFailed";
  constructor(readonly failure: SendFailure) {
    super(failure.kind);
  }
}

/**
 * Maps what a transport's send() threw. `established`: the session had been initialised, so a 404
 * means its id is no longer known (before that, a 404 means the URL does not take this transport).
 */
export function classifySendError(error: unknown, established: boolean): SendFailure {
  if (error instanceof HttpStatusError) {
    const status = error.status;
    if (status === 404 && established) return { kind: "expired" };
    if (status === 401 || status === 403) return { kind: "auth", status, ...(error.reason ? { reason: error.reason } : {}) };
    if (status === 429 || status === 503) return { kind: "refused", status };
    return { kind: "status", status, ...(error.reason ? { reason: error.reason } : {}), processed: mayHaveBeenProcessed({ kind: "status", status }) };
  }
  if (error instanceof ProxyError) return { kind: "policy", error };
  if (error instanceof TooLargeError) return { kind: "too-large", limitBytes: error.limitBytes };
  const network = classifyNetworkError(error);
  if (network.kind === "connect" || network.kind === "tls") return { kind: "unsent", cause: network.code };
  return { kind: "maybe-sent", cause: "code" in network ? network.code : "network" };
}

/** The fact a failed request gives the edge. `method`: what was sent (initialize while opening a session). */
export function failureFact(failure: SendFailure, context: { endpoint: string; method: string; tokenSent: boolean }): ProxyFact {
  const { endpoint, method } = context;
  switch (failure.kind) {
    case "maybe-sent":
      return { code: "outcome-unknown", endpoint, method, cause: failure.cause };
    case "auth":
      return { code: "auth-rejected", endpoint, status: failure.status, ...(failure.reason ? { reason: failure.reason } : {}), tokenSent: context.tokenSent };
    case "too-large":
      return { code: "too-large", endpoint, limitBytes: failure.limitBytes };
    case "status":
      // A status after the request may have been acted on leaves its outcome open (not so for opening a session).
      return failure.processed && method !== "initialize"
        ? { code: "outcome-unknown", endpoint, method, cause: String(failure.status) }
        : { code: "http-status", endpoint, status: failure.status, ...(failure.reason ? { reason: failure.reason } : {}) };
    case "policy":
      return failure.error.fact;
    case "refused":
      return { code: "unavailable", endpoint, cause: String(failure.status) };
    case "unsent":
      return { code: "unavailable", endpoint, cause: failure.cause };
    case "aborted":
      return { code: "unavailable", endpoint, cause: "timeout" };
    default:
      return { code: "unavailable", endpoint, cause: failure.kind };
  }
}
