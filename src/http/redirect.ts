import type { RedirectProblem } from "./errors.js";

export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

export interface RedirectHop {
  method: string;
  /** Path and query on the same origin. */
  path: string;
  body: string | undefined;
}

/**
 * Where to go after a redirect, or why not. Only same-origin targets are followed, so the auth
 * header can never reach another origin. 303 becomes a body-less GET; 301/302/307/308 keep the
 * method and body (turning a store into a GET, as browsers do for 301/302, would silently drop it).
 */
export function followRedirect(
  origin: string,
  current: RedirectHop,
  status: number,
  location: string | string[] | undefined,
  redirectsSoFar: number,
): RedirectHop | RedirectProblem {
  const target = Array.isArray(location) ? location[0] : location;
  if (target === undefined || target === "") return { kind: "no-location", status };
  if (redirectsSoFar >= MAX_REDIRECTS) return { kind: "too-many", limit: MAX_REDIRECTS };
  let url: URL;
  try {
    url = new URL(target, origin + current.path);
  } catch {
    return { kind: "no-location", status };
  }
  if (url.origin !== origin) return { kind: "cross-origin", targetOrigin: url.origin };
  const path = url.pathname + url.search;
  if (status === 303 && current.method !== "HEAD") return { method: "GET", path, body: undefined };
  return { method: current.method, path, body: current.body };
}
