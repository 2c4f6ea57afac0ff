import type { SecretRedactor } from "../core/secrets.js";
import {
  AuthError,
  RateLimitedError,
  ResponseFormatError,
  ServerError,
  TlsError,
  UnreachableError,
  type TransportError,
} from "./errors.js";
import { parseRetryAfter, type AttemptFailure } from "./retry.js";
import { extractServerReason } from "./server-reason.js";
import type { HttpRequest, HttpResponse } from "./types.js";

/** One exchange's answer, with the body already read as text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body was read only in part (an error body is read only as far as it is quoted). */
  truncated?: boolean;
  /** The large-body permit this answer holds, if it took it. */
  release?: () => void;
}

/** What every error needs to know about the client that raised it. */
export interface OutcomeContext {
  endpoint: string;
  /** Removes the credential from any server text quoted in an error. */
  redactor: SecretRedactor;
}

/** A 2xx answer: its body must be JSON (or empty). */
export function successResponse(ctx: OutcomeContext, req: HttpRequest, res: RawResponse, attempts: number): HttpResponse {
  let body: unknown;
  if (res.text !== "") {
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      const contentType = firstValue(res.headers["content-type"]);
      throw new ResponseFormatError({
        endpoint: ctx.endpoint,
        attempts,
        maybeSent: true, // a 2xx means the server processed the request
        method: req.method,
        path: req.path,
        ...(contentType === undefined ? {} : { contentType }),
        cause: err,
      });
    }
  }
  return { status: res.status, headers: res.headers, body, attempts };
}

/** A 4xx (other than 401/403) or other non-2xx answer the backend interprets itself. */
export function passThroughResponse(ctx: OutcomeContext, res: RawResponse, attempts: number): HttpResponse {
  return { status: res.status, headers: res.headers, body: errorBody(ctx, res), attempts };
}

export function authErrorFor(
  ctx: OutcomeContext,
  res: RawResponse,
  attempts: number,
  maybeSent: boolean,
  tokenSent: boolean,
): AuthError {
  const reason = extractServerReason(errorBody(ctx, res), (text) => ctx.redactor.redact(text));
  return new AuthError({
    endpoint: ctx.endpoint,
    attempts,
    maybeSent,
    status: res.status,
    tokenSent,
    ...(reason.code === undefined ? {} : { serverCode: reason.code }),
    ...(reason.reason === undefined ? {} : { serverReason: reason.reason }),
  });
}

/** The error for the last failed attempt once retrying has stopped. */
export function finalErrorFor(
  ctx: OutcomeContext,
  failure: AttemptFailure,
  res: RawResponse | undefined,
  attempts: number,
  maybeSent: boolean,
  cause: unknown,
  now: number,
): TransportError {
  const init = { endpoint: ctx.endpoint, attempts, maybeSent, cause };
  switch (failure.kind) {
    case "status": {
      if (failure.status === 429) {
        const retryAfterMs = parseRetryAfter(res?.headers["retry-after"], now);
        return new RateLimitedError({ ...init, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
      }
      const body = res === undefined ? undefined : errorBody(ctx, res);
      const reason = body === undefined ? {} : extractServerReason(body, (text) => ctx.redactor.redact(text));
      const detail = reason.reason ?? reason.code;
      const requestId = requestIdOf(res?.headers["x-request-id"], body);
      return new ServerError({
        ...init,
        status: failure.status,
        ...(detail === undefined ? {} : { detail }),
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
    case "tls":
      return new TlsError({ ...init, causeCode: failure.code });
    default:
      return new UnreachableError({ ...init, causeCode: failure.code });
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The server's id for the request: the X-Request-ID header, else a `request_id` in the body; only a plain token. */
function requestIdOf(header: string | string[] | undefined, body: unknown): string | undefined {
  const fromBody = typeof body === "object" && body !== null ? (body as { request_id?: unknown }).request_id : undefined;
  const id = firstValue(header) ?? (typeof fromBody === "string" ? fromBody : undefined);
  return id !== undefined && REQUEST_ID.test(id) ? id : undefined;
}

/**
 * An error body: parsed JSON, else its text. A body read only in part loses what may be the start
 * of the token where it was cut, so that no later cut can leave a piece of it.
 */
function errorBody(ctx: OutcomeContext, res: RawResponse): unknown {
  return parseLenient(res.truncated ? ctx.redactor.redactCut(res.text) : res.text);
}

function parseLenient(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
