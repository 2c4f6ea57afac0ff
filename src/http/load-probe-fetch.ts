import type { FetchLike } from "../core/fetch-like.js";
import type { ProbeFetchOptions } from "./probe-fetch.js";

/**
 * createProbeFetch, loaded on the first probe rather than at start: undici is a large module, and
 * `initialize` must not wait for it (see load-client.ts).
 */
export function lazyProbeFetch(options: ProbeFetchOptions): FetchLike {
  let loaded: Promise<FetchLike> | undefined;
  return async (url, init) => {
    loaded ??= import("./probe-fetch.js").then((m) => m.createProbeFetch(options));
    return (await loaded)(url, init);
  };
}
