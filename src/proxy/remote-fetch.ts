import type { Dispatcher } from "undici";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { createPool, DEFAULT_CONNECT_TIMEOUT_MS } from "../http/pool.js";
import { followRedirect, isRedirect, type RedirectHop } from "../http/redirect.js";
import { extractServerReason } from "../http/server-reason.js";
import { canonicalEndpoint, parseEndpoint } from "../core/endpoint.js";
import { assertTransportAllowed } from "../http/url.js";
import { ProxyError } from "./errors.js";
import { watchStream, type StreamEnd } from "./stream-watch.js";

/**
 * The `fetch` the SDK's client transports get: undici's keep-alive pool for the endpoint's origin
 * underneath, TLS always verified (plus the --ca-file), plain http only to loopback unless allowed,
 * and nothing ever sent to another origin — redirects are followed (at most 3) only within it, so
 * the credential headers, which this layer adds itself, cannot leave it. A POST answered with a
 * status outside 2xx throws HttpStatusError, so callers see the status as a fact rather than in an
 * SDK message. Answer bodies are capped (per SSE event for event streams).
 */

export type FetchFn = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface RemoteHttpOptions {
  /** The MCP endpoint URL (its trailing slash, if any, matters to some servers: kept). */
  endpoint: string;
  allowHttp: boolean;
  caFile?: string;
  connectTimeoutMs?: number;
  maxConnections?: number;
  /** Cap of one SSE event or one JSON answer. */
  maxResponseBytes: number;
  logger?: Logger;
}

export interface ExchangeHooks {
  /** Added to every request (credential and extra headers); only ever sent to the endpoint's origin. */
  headers: Record<string, string>;
  /** The answer stream of a POST carrying these request ids broke or was cut (deferred past the SDK's own handling). */
  onAnswerLost?(ids: RequestId[], end: Exclude<StreamEnd, "done" | "cancelled">): void;
}

export interface RemoteHttp {
  /** Canonical form of the endpoint (credentials and caches are keyed by it). */
  readonly endpoint: string;
  readonly url: URL;
  readonly maxResponseBytes: number;
  fetchWith(hooks: ExchangeHooks): FetchFn;
  close(): Promise<void>;
}

/** A POST answered outside 2xx. `reason`: what its body said (a code, or at most 200 characters of text). */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    readonly wwwAuthenticate: string | undefined,
    readonly reason: string | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

const USER_AGENT = "mcp-memory-bridge";
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const MAX_REASON_BYTES = 4096;

export function createRemoteHttp(options: RemoteHttpOptions): RemoteHttp {
  const url = parseEndpoint(options.endpoint);
  assertTransportAllowed(url, options.allowHttp);
  const endpoint = canonicalEndpoint(options.endpoint);
  const origin = url.origin;
  const pool = createPool(origin, {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
    // One stays open for the server's event stream; the rest carry calls, the excess waiting in the queue.
    connections: options.maxConnections ?? 16,
    idleTimeoutMs: 0,
  });
  const logger = options.logger;
  /**
   * Paths the server redirected to the same path with a trailing slash (Starlette's /mcp → /mcp/,
   * which the canonical endpoint drops): later requests go there at once instead of twice.
   */
  const slashed = new Map<string, string>();

  function fetchWith(hooks: ExchangeHooks): FetchFn {
    return async (input, init = {}) => {
      const target = new URL(input);
      if (target.origin !== origin) {
        throw new ProxyError({ code: "protocol", endpoint, detail: `a request to another origin (${target.origin}) was refused` });
      }
      const headers = mergeHeaders(init.headers, hooks.headers);
      const method = (init.method ?? "GET").toUpperCase();
      if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
        throw new ProxyError({ code: "protocol", endpoint, detail: "a request body that is not text" });
      }
      const body = typeof init.body === "string" ? init.body : undefined;
      const started = performance.now();
      const asked = target.pathname + target.search;
      let hop: RedirectHop = { method, path: slashed.get(asked) ?? asked, body };
      for (let redirects = 0; ; redirects++) {
        const res = await pool.request({
          method: hop.method as Dispatcher.HttpMethod,
          path: hop.path,
          headers,
          body: hop.body ?? null,
          ...(init.signal ? { signal: init.signal } : {}),
        });
        if (logger?.level === "debug") {
          logger.debug("mcp http", { method: hop.method, path: pathOnly(hop.path), status: res.statusCode, ms: Math.round(performance.now() - started) });
        }
        if (!isRedirect(res.statusCode)) return answer(res, hop.method, body, hooks);
        const next = followRedirect(origin, hop, res.statusCode, res.headers["location"], redirects);
        if ("kind" in next && next.kind === "no-location") return answer(res, hop.method, body, hooks);
        await res.body.dump().catch(() => undefined);
        if ("kind" in next) {
          throw new ProxyError({
            code: "redirect-refused",
            endpoint,
            ...(next.kind === "cross-origin" ? { targetOrigin: next.targetOrigin } : { tooMany: true }),
          });
        }
        if (redirects === 0 && target.search === "" && next.path === `${hop.path}/`) slashed.set(asked, next.path);
        hop = next;
      }
    };
  }

  async function answer(res: Dispatcher.ResponseData, method: string, body: string | undefined, hooks: ExchangeHooks): Promise<Response> {
    const status = res.statusCode;
    const headers = toHeaders(res.headers);
    if (method === "POST" && (status < 200 || status > 299)) {
      const reason = await readReason(res.body);
      throw new HttpStatusError(status, headers.get("www-authenticate") ?? undefined, reason);
    }
    if (NULL_BODY_STATUSES.has(status) || method === "HEAD") {
      await res.body.dump().catch(() => undefined);
      return new Response(null, { status, headers });
    }
    const events = /^\s*text\/event-stream\b/i.test(headers.get("content-type") ?? "");
    const ids = method === "POST" && body !== undefined ? requestIdsIn(body) : [];
    const watched = watchStream(res.body, {
      mode: events ? "events" : "whole",
      maxBytes: options.maxResponseBytes,
      onEnd(end) {
        if ((end === "broken" || end === "too-large") && ids.length > 0 && hooks.onAnswerLost) {
          const lost = hooks.onAnswerLost.bind(hooks);
          // After the SDK has handled every event that did arrive (its stream pipeline runs on microtasks).
          setImmediate(() => lost(ids, end));
        }
      },
    });
    return new Response(watched, { status, headers });
  }

  return {
    endpoint,
    url,
    maxResponseBytes: options.maxResponseBytes,
    fetchWith,
    close: () => pool.close(),
  };
}

function mergeHeaders(given: RequestInit["headers"], added: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { "user-agent": USER_AGENT };
  new Headers(given).forEach((value, name) => {
    out[name] = value;
  });
  for (const [name, value] of Object.entries(added)) out[name.toLowerCase()] = value;
  return out;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** What the server said about a refusal (a code such as invalid_token, else its text), read from at most 4 KiB. */
async function readReason(body: Dispatcher.ResponseData["body"]): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= MAX_REASON_BYTES) break;
    }
  } catch {
    // The status is the fact that matters; the body is a courtesy.
  } finally {
    body.destroy();
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Plain text.
  }
  const said = extractServerReason(parsed);
  return said.code ?? said.reason;
}

/** Ids of the JSON-RPC requests in a POST body (the SDK sends one message, or a batch). */
export function requestIdsIn(body: string): RequestId[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const ids: RequestId[] = [];
  for (const m of messages) {
    if (typeof m !== "object" || m === null) continue;
    const { id, method } = m as { id?: unknown; method?: unknown };
    if (typeof method === "string" && (typeof id === "string" || typeof id === "number")) ids.push(id);
  }
  return ids;
}

/** Queries carry session ids (legacy SSE): not for logs. */
function pathOnly(path: string): string {
  const q = path.indexOf("?");
  return q === -1 ? path : path.slice(0, q);
}
