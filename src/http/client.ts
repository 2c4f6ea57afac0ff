import type { Dispatcher } from "undici";
import { canonicalEndpoint, parseEndpoint } from "../core/endpoint.js";
import { SecretRedactor } from "../core/secrets.js";
import { BodyTooLargeError, declaredTooLarge, readBody, type BodyText } from "./body.js";
import { CallSignal } from "./call-signal.js";
import { CancelledError, DeadlineError, RedirectError, ResponseTooLargeError, TransportError, type RedirectProblem } from "./errors.js";
import { LargeBodyGate } from "./large-body-gate.js";
import { classifyNetworkError } from "./network-failure.js";
import {
  authErrorFor,
  finalErrorFor,
  passThroughResponse,
  successResponse,
  type OutcomeContext,
  type RawResponse,
} from "./outcome.js";
import { createPool, DEFAULT_CONNECT_TIMEOUT_MS } from "./pool.js";
import { followRedirect, isRedirect, type RedirectHop } from "./redirect.js";
import { backoffDelay, isRetryable, mayHaveBeenProcessed, parseRetryAfter, type AttemptFailure } from "./retry.js";
import { assertSafePath } from "./safe-path.js";
import { abortableSleep } from "./sleep.js";
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, RequestContext } from "./types.js";
import { assertTransportAllowed } from "./url.js";

const USER_AGENT = "mcp-memory-bridge";
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS = 16;
/** Error bodies are only quoted (a sentence or two): this much of one is plenty. */
const ERROR_BODY_BYTES = 64 * 1024;
/** What each body may buffer before it must wait for the large-body permit. */
const FREE_BODY_BYTES = 1024 * 1024;

type Headers = Record<string, string>;

/**
 * Undici's RetryAgent and redirect interceptor are not used: our retries depend on the call's
 * RetryClass and on whether the request may have been processed, share one deadline across
 * attempts, and redirects must stay on the endpoint's origin so the token never leaves it.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const endpointUrl = parseEndpoint(options.endpoint);
  assertTransportAllowed(endpointUrl, options.allowHttp ?? false);
  const endpoint = canonicalEndpoint(options.endpoint);
  const origin = endpointUrl.origin;
  const basePath = endpointUrl.pathname.replace(/\/+$/, "");

  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const backoff = { baseMs: options.baseDelayMs ?? 100, capMs: options.maxDelayMs ?? 2000 };
  const logger = options.logger;
  const auth = options.auth;
  const redactor = options.secrets ?? new SecretRedactor();
  if (auth !== undefined) for (const secret of secretsOf(auth.value)) redactor.add(secret);
  if (auth !== undefined) logger?.addSecret(auth.value);
  const outcome: OutcomeContext = { endpoint, redactor };

  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const largeBodies = new LargeBodyGate(FREE_BODY_BYTES);
  const pool = createPool(origin, {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
  });
  const connectedProbe = (): boolean => pool.stats.connected > 0;

  // Built once and shared by every request; undici copies header objects, it never mutates them.
  // Every request (and every followed redirect) targets the endpoint's own origin, so the auth
  // header is always allowed here; a cross-origin Location is refused before anything is sent.
  const plain: Headers = { accept: "application/json", "user-agent": USER_AGENT };
  const plainJson: Headers = { ...plain, "content-type": "application/json" };
  const authed: Headers = auth === undefined ? plain : { ...plain, [auth.header.toLowerCase()]: auth.value };
  const authedJson: Headers = auth === undefined ? plainJson : { ...authed, "content-type": "application/json" };

  function headersFor(sendAuth: boolean, hasBody: boolean): Headers {
    if (sendAuth) return hasBody ? authedJson : authed;
    return hasBody ? plainJson : plain;
  }

  async function request(req: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    const started = now();
    const timeoutMs = Math.max(0, ctx.deadline - started);
    if (ctx.signal?.aborted === true) {
      throw new CancelledError({ endpoint, attempts: 0, maybeSent: false });
    }
    const reportedTimeoutMs = ctx.timeoutMs ?? timeoutMs;
    if (timeoutMs <= 0) throw new DeadlineError({ endpoint, attempts: 0, maybeSent: false, timeoutMs: reportedTimeoutMs });

    assertSafePath(req.method, req.path);
    const sendAuth = auth !== undefined && req.auth !== false;
    const first: RedirectHop = {
      method: req.method,
      path: basePath + req.path + queryString(req.query),
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    };
    const call = new CallSignal(timeoutMs, ctx.signal, connectedProbe);
    let maybeSent = false;
    let attempt = 0;

    const aborted = (): TransportError => {
      const init = { endpoint, attempts: attempt, maybeSent };
      return call.cancelled ? new CancelledError(init) : new DeadlineError({ ...init, timeoutMs: reportedTimeoutMs });
    };

    try {
      for (;;) {
        attempt++;
        let failure: AttemptFailure;
        let res: RawResponse | undefined;
        let cause: unknown;
        try {
          const answer = await exchange(first, sendAuth, call.signal, attempt, ctx.retain ?? {});
          if ("kind" in answer) {
            throw new RedirectError({ endpoint, attempts: attempt, maybeSent, problem: answer });
          }
          res = answer;
          const status = res.status;
          if (status >= 200 && status < 300) return settle(res, ctx, () => successResponse(outcome, req, res!, attempt));
          if (status === 401 || status === 403) throw authErrorFor(outcome, res, attempt, maybeSent, sendAuth);
          if (status < 500 && status !== 429) return passThroughResponse(outcome, res, attempt);
          failure = { kind: "status", status };
        } catch (err) {
          if (err instanceof TransportError) throw err;
          if (call.aborted) {
            // Aborted mid-attempt: the request may have been written if a socket was open.
            maybeSent ||= call.connectedAtAbort;
            throw aborted();
          }
          failure = classifyNetworkError(err);
          cause = err;
        }

        maybeSent ||= mayHaveBeenProcessed(failure);
        const delayMs = retryDelay(req.retry, failure, res, attempt, ctx.deadline);
        if (logger?.level === "debug") {
          const fields = { method: req.method, path: req.path, attempt, failure: describe(failure) };
          logger.debug(delayMs === undefined ? "http give up" : "http retry", { ...fields, delayMs });
        }
        if (delayMs === undefined) throw finalErrorFor(outcome, failure, res, attempt, maybeSent, cause, now());
        try {
          await sleep(delayMs, call.signal);
        } catch (err) {
          if (call.aborted) throw aborted();
          throw err;
        }
        if (call.aborted) throw aborted();
      }
    } finally {
      call.dispose();
    }
  }

  /** One attempt: send, follow same-origin redirects, read the final body. */
  async function exchange(
    first: RedirectHop,
    sendAuth: boolean,
    signal: AbortSignal,
    attempt: number,
    bodyOwner: object,
  ): Promise<RawResponse | RedirectProblem> {
    let hop = first;
    for (let redirects = 0; ; redirects++) {
      const res: Dispatcher.ResponseData = await pool.request({
        method: hop.method as Dispatcher.HttpMethod,
        path: hop.path,
        headers: headersFor(sendAuth, hop.body !== undefined),
        body: hop.body ?? null,
        signal,
      });
      const status = res.statusCode;
      if (logger?.level === "debug") {
        logger.debug("http attempt", { method: hop.method, path: pathOnly(hop.path), status, attempt, redirects });
      }
      if (!isRedirect(status)) {
        try {
          const body = await bodyText(res, signal, bodyOwner);
          return {
            status,
            headers: res.headers,
            text: body.text,
            ...(body.truncated && { truncated: true }),
            ...(body.release && { release: body.release }),
          };
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          // A 2xx means the server acted on the request.
          throw new ResponseTooLargeError({ endpoint, attempts: attempt, maybeSent: true, limitBytes: error.limitBytes });
        }
      }
      await res.body.dump();
      const next = followRedirect(origin, hop, status, res.headers["location"], redirects);
      if ("kind" in next) return next;
      hop = next;
    }
  }

  /**
   * A success body whole, up to --max-response-bytes (refused at once when its declared length is
   * over it); an error body only as far as it is quoted.
   */
  async function bodyText(res: Dispatcher.ResponseData, signal: AbortSignal, owner: object): Promise<BodyText> {
    if (res.statusCode < 200 || res.statusCode >= 300) {
      return readBody(res.body, { maxBytes: ERROR_BODY_BYTES, mode: "truncate", signal });
    }
    if (declaredTooLarge(res.headers["content-length"], maxResponseBytes)) {
      res.body.destroy();
      throw new BodyTooLargeError(maxResponseBytes);
    }
    return readBody(res.body, { maxBytes: maxResponseBytes, mode: "fail", gate: { gate: largeBodies, owner }, signal });
  }

  /** Milliseconds to wait before the next attempt, or undefined to stop retrying. */
  function retryDelay(
    retry: HttpRequest["retry"],
    failure: AttemptFailure,
    res: RawResponse | undefined,
    attempt: number,
    deadline: number,
  ): number | undefined {
    if (attempt >= maxAttempts || !isRetryable(failure, retry)) return undefined;
    const at = now();
    let delayMs = backoffDelay(attempt, random, backoff);
    if (res !== undefined && (res.status === 429 || res.status === 503)) {
      delayMs = parseRetryAfter(res.headers["retry-after"], at) ?? delayMs;
    }
    // Waiting past the deadline would only turn this failure into a less helpful DeadlineError.
    return at + delayMs < deadline ? delayMs : undefined;
  }

  return {
    endpoint,
    request,
    redact: (text) => redactor.redact(text),
    async close() {
      await pool.close();
    },
  };
}

/** Builds the outcome of a parsed answer, then hands its large-body permit to the caller or lets it go. */
function settle<T>(res: RawResponse, ctx: RequestContext, outcome: () => T): T {
  try {
    return outcome();
  } finally {
    if (res.release) {
      if (ctx.retain) ctx.retain(res.release);
      else res.release();
    }
  }
}

function queryString(query: HttpRequest["query"]): string {
  if (query === undefined) return "";
  let out = "";
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    out += `${out === "" ? "?" : "&"}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}

/** The path without its query: queries carry search text, which does not belong in logs. */
function pathOnly(path: string): string {
  const q = path.indexOf("?");
  return q === -1 ? path : path.slice(0, q);
}

function describe(failure: AttemptFailure): string | number {
  return failure.kind === "status" ? failure.status : failure.code;
}

/** The token itself and, for "Bearer xyz"-style values, the bare credential. */
function secretsOf(value: string): string[] {
  const bare = value.slice(value.lastIndexOf(" ") + 1);
  return bare === value ? [value] : [value, bare];
}
