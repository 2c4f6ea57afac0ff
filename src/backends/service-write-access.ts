import { AuthError } from "../http/errors.js";
import type { HttpClient } from "../http/types.js";
import type { CallContext, WriteAccess } from "./types.js";

/**
 * mcp-memory-service (OAuth scopes read/write/admin; an API key has all three): since 10.21.0
 * `GET /memory-stats` requires the write scope (web/api/health.py, GHSA-73hc-m4hx-79pj) and only
 * reports process and cache numbers, so its answer tells whether the token may write without
 * writing anything. Before 10.21 it needed only `read`, so an older server cannot be asked.
 */
const PROBE = "/memory-stats";
const WRITE_SCOPE_SINCE: readonly [number, number] = [10, 21];

export async function serviceWriteAccess(http: HttpClient, ctx: Omit<CallContext, "project">, server: Readonly<Record<string, unknown>>): Promise<WriteAccess> {
  const version = typeof server.version === "string" ? server.version : undefined;
  if (version === undefined || !atLeast(version, WRITE_SCOPE_SINCE)) {
    return { result: "unchecked", reason: "old-server", detail: version ?? "version unknown" };
  }
  const how = `asked with GET ${PROBE}, which needs the write scope and changes nothing`;
  try {
    const res = await http.request({ method: "GET", path: PROBE, retry: "idempotent" }, ctx);
    if (res.status >= 200 && res.status < 300) return { result: "granted", how };
    if (res.status === 404 || res.status === 405) return { result: "unchecked", reason: "no-probe", detail: `${PROBE} answered ${res.status}` };
    return { result: "unchecked", reason: "probe-failed", detail: `${PROBE} answered ${res.status}` };
  } catch (error) {
    if (error instanceof AuthError && error.status === 403) return { result: "denied", how };
    if (error instanceof Error) return { result: "unchecked", reason: "probe-failed", detail: error.message };
    throw error;
  }
}

function atLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const [m, n] = version.split(/[.+-]/).map(Number);
  if (m === undefined || n === undefined || Number.isNaN(m) || Number.isNaN(n)) return false;
  return m > major || (m === major && n >= minor);
}
