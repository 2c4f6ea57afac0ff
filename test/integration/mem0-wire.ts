/** What the mem0-family backend tests check on the wire, over any fixture built on http-fixture. */
import { expect } from "vitest";
import type { RecordedRequest } from "../fixtures/http-fixture/types.js";

/** The auth headers a request carried (authorization, x-api-key), by name. */
export function authHeadersOf(req: RecordedRequest): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of ["authorization", "x-api-key"]) {
    const value = req.headers[name];
    if (value !== undefined) found[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return found;
}

/** Every request except the public ones carried exactly `header: value`, and no other auth header. */
export function expectOneAuthHeader(requests: readonly RecordedRequest[], header: string, value: string, publicPaths: readonly string[] = []): void {
  const authed = requests.filter((req) => !publicPaths.includes(req.path));
  expect(authed.length).toBeGreaterThan(0);
  for (const req of authed) expect(authHeadersOf(req), `${req.method} ${req.path}`).toEqual({ [header]: value });
}

/** The recorded requests with this method whose path matches. */
export function sent(requests: readonly RecordedRequest[], method: string, path?: string | RegExp): RecordedRequest[] {
  return requests.filter((req) => req.method === method && (path === undefined || (typeof path === "string" ? req.path === path : path.test(req.path))));
}

export function bodyOf(req: RecordedRequest | undefined): Record<string, unknown> {
  expect(req).toBeDefined();
  expect(typeof req!.body).toBe("object");
  return req!.body as Record<string, unknown>;
}
