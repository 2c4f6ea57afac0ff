import type { FetchLike, ProbeBody, ProbeHttpResponse, ProbeRecord } from "./types.js";

/**
 * One bounded, unauthenticated probe request: its own timeout (covering redirects and the body),
 * a body cap, at most a few same-origin redirects. It never sends credentials, so it may go to a
 * server nobody has vouched for yet; callers decide which URLs are allowed (see probe-policy.ts).
 */

export const DEFAULT_PROBE_TIMEOUT_MS = 2000;
export const DEFAULT_PROBE_BODY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;
const USER_AGENT = "mcp-memory-bridge";
/** Not `new Headers()`: that global loads Node's own copy of undici (see http/probe-fetch.ts). */
const NO_HEADERS: ProbeHttpResponse["headers"] = { get: () => null };

export interface ProbeIo {
  fetch: FetchLike;
  /** Milliseconds, monotonic enough to measure a round trip. */
  now: () => number;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Aborts every probe of a discovery run (e.g. the caller gave up). */
  signal?: AbortSignal;
}

export interface ProbeSpec {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Stop reading once the text read so far is enough (e.g. the first SSE event). */
  enough?: (textSoFar: string) => boolean;
}

export interface ProbeAnswer {
  record: ProbeRecord;
  /** Present when the server answered. */
  response?: {
    status: number;
    headers: ProbeHttpResponse["headers"];
    /** At most maxBodyBytes of the body, decoded as UTF-8. */
    text: string;
    /** The body was longer than the cap (or reading stopped early through `enough`). */
    truncated: boolean;
  };
}

export async function probe(spec: ProbeSpec, io: ProbeIo): Promise<ProbeAnswer> {
  const started = io.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, io.timeoutMs);
  const onCallerAbort = () => controller.abort();
  io.signal?.addEventListener("abort", onCallerAbort, { once: true });
  if (io.signal?.aborted === true) controller.abort();

  const record: ProbeRecord = { method: spec.method, url: spec.url, ms: 0 };
  try {
    const response = await fetchFollowingRedirects(spec, io.fetch, controller.signal);
    record.status = response.status;
    const body = await readCapped(response.body, io.maxBodyBytes, spec.enough);
    record.ms = Math.max(0, io.now() - started);
    return { record, response: { status: response.status, headers: response.headers, ...body } };
  } catch (error) {
    record.ms = Math.max(0, io.now() - started);
    if (record.status === undefined) {
      record.error = timedOut ? "timeout" : io.signal?.aborted === true ? "aborted" : errorCode(error);
      return { record };
    }
    // The status line arrived but the body did not: the answer still says what the server is not.
    return { record, response: { status: record.status, headers: NO_HEADERS, text: "", truncated: true } };
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener("abort", onCallerAbort);
  }
}

async function fetchFollowingRedirects(spec: ProbeSpec, fetch: FetchLike, signal: AbortSignal): Promise<ProbeHttpResponse> {
  let url = spec.url;
  const headers = { accept: "application/json", "user-agent": USER_AGENT, ...spec.headers };
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, {
      method: spec.method,
      headers,
      ...(spec.body === undefined ? {} : { body: spec.body }),
      redirect: "manual",
      signal,
    });
    const next = hop < MAX_REDIRECTS ? sameOriginRedirect(url, spec.method, response) : undefined;
    if (next === undefined) return response;
    await response.body?.cancel().catch(() => undefined);
    url = next;
  }
}

/** The Location to follow: same origin only, and a POST only through 307/308 (which keep the method and body). */
function sameOriginRedirect(from: string, method: string, response: ProbeHttpResponse): string | undefined {
  const status = response.status;
  const followable = method === "GET" ? [301, 302, 303, 307, 308] : [307, 308];
  if (!followable.includes(status)) return undefined;
  const location = response.headers.get("location");
  if (location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return undefined;
  }
  return target.origin === new URL(from).origin ? target.href : undefined;
}

async function readCapped(
  body: ProbeBody | null,
  cap: number,
  enough: ((text: string) => boolean) | undefined,
): Promise<{ text: string; truncated: boolean }> {
  if (body === null) return { text: "", truncated: false };
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  let truncated = false;
  try {
    for await (const value of body) {
      const room = cap - bytes;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      bytes += chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
      if (value.byteLength > room || (enough !== undefined && enough(text))) {
        truncated = true;
        break;
      }
    }
  } finally {
    // Frees the connection whether or not the body was read to its end.
    body.cancel().catch(() => undefined);
  }
  return { text: text + decoder.decode(), truncated };
}

/** The Node/undici code behind a failed fetch ("fetch failed" wraps it in `cause`). */
function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === "string") return e.code;
    current = Array.isArray(e.errors) && e.errors.length > 0 ? e.errors[0] : e.cause;
  }
  return "network";
}
