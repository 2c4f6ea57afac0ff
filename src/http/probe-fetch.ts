import type { Dispatcher } from "undici";
import type { FetchLike, ProbeBody, ProbeHttpResponse } from "../core/fetch-like.js";
import { connectOptions, DEFAULT_CONNECT_TIMEOUT_MS } from "./pool.js";
import { Agent } from "./undici-parts.js";

/**
 * Detection's probes, sent with the undici the bundle already holds for tool calls, and with the
 * same TLS trust as those calls. Not globalThis.fetch: that loads Node's own copy of undici (a
 * second HTTP stack, about 3 MB resident) and ignores the user's CA file. Not undici's fetch
 * either, which is a large extra module. A dispatcher's `request` follows no redirect: the caller
 * (probe-request.ts) decides which to follow.
 */

export interface ProbeFetchOptions {
  /** Default DEFAULT_CONNECT_TIMEOUT_MS, as for tool calls (a probe's own deadline, 2 s by default, usually ends it sooner). */
  connectTimeoutMs?: number;
  /** The user's extra CA (--ca-file); read on the first https probe. */
  caFile?: string;
}

export function createProbeFetch(options: ProbeFetchOptions): FetchLike {
  let plain: Agent | undefined;
  let tls: Agent | undefined;
  // Built on first use, so a run that probes only http:// URLs never reads the CA file (nor loads node:tls).
  const dispatcherFor = (url: string): Agent =>
    url.startsWith("https:") ? (tls ??= probeAgent(options, true)) : (plain ??= probeAgent(options, false));

  return async (url, init) => {
    const { origin, pathname, search } = new URL(url);
    const response = await dispatcherFor(url).request({
      origin,
      path: pathname + search,
      method: init.method,
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: init.signal,
    });
    return { status: response.statusCode, headers: headerReader(response.headers), body: probeBody(response.body) };
  };
}

function probeAgent(options: ProbeFetchOptions, https: boolean): Agent {
  // The CA file only for https: plain http then never reads it.
  return new Agent({ connect: connectOptions(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, https ? options.caFile : undefined) });
}

function headerReader(headers: Dispatcher.ResponseData["headers"]): ProbeHttpResponse["headers"] {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function probeBody(body: Dispatcher.ResponseData["body"]): ProbeBody {
  // A body given up on (destroyed, or its request aborted) emits an error that its reader, if
  // any, already gets; without a listener that error would be uncaught.
  body.on("error", () => undefined);
  return {
    [Symbol.asyncIterator]: () => body[Symbol.asyncIterator](),
    // Destroying the body aborts the response and closes its socket: a probe reads at most a cap,
    // and what is left of an endless body must not be drained.
    cancel: async () => {
      body.destroy();
    },
  };
}
