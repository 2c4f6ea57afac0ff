import { authSchemeFor } from "../../backends/registry.js";
import type { Settings } from "../../config/settings.js";
import type { Logger } from "../../log.js";
import { authHeadersFor } from "../../proxy/auth-headers.js";
import type { ProxyFact } from "../../proxy/errors.js";
import { checkRemoteToken, detectRemoteMcp } from "../../proxy/probe-remote.js";
import type { ProxyStatus } from "../../proxy/types.js";
import type { Session } from "../../session/session.js";
import { VERSION } from "../../version.js";
import { extraHeaders, probeOptions } from "./remote-mcp.js";

/** A fact that still means the server answered (with something else than a session). */
const ANSWERED: ReadonlySet<ProxyFact["code"]> = new Set(["auth-rejected", "http-status", "protocol", "redirect-refused", "too-large"]);

/**
 * What `status` and `doctor` report for a remote MCP server: reachable, session established, the
 * tools count, and whether the stored token is accepted (checked with the cheapest authenticated
 * call). A failure before anything was sent (a refused http:// URL, an unreadable CA file) is `error`.
 */
export async function remoteMcpStatus(session: Session, settings: Readonly<Settings>, logger: Logger): Promise<{ status: ProxyStatus; error?: Error }> {
  const endpoint = session.endpoint;
  const base: ProxyStatus = { endpoint, backend: "mcp", server_kind: null, transport: null, reachable: false, session: false, version: VERSION };
  const probe = probeOptions(settings, endpoint, logger);
  const started = Date.now();
  try {
    const { token } = await session.token.get();
    if (token === undefined) {
      const found = await detectRemoteMcp(probe);
      if (found.status === "failed") return { status: { ...base, reachable: ANSWERED.has(found.fact.code), problem: found.fact } };
      const established = found.tools !== undefined;
      return {
        status: {
          ...base,
          server_kind: found.serverKind,
          transport: found.transport ?? null,
          reachable: true,
          session: established,
          ...(established && { latency_ms: Date.now() - started, tools: found.tools }),
          ...(found.serverInfo && { server: { name: found.serverInfo.name, version: found.serverInfo.version } }),
          ...(found.authRequired && { problem: { code: "auth-rejected", endpoint, tokenSent: false } }),
        },
      };
    }
    const auth = authHeadersFor(authSchemeFor(settings), token, settings.userId);
    const extra = extraHeaders(settings, token);
    const plain = { ...("headers" in extra ? extra.headers : {}), ...auth.plain };
    const check = await checkRemoteToken({ ...probe, credentials: { secret: auth.secret, plain } });
    if (check.status === "accepted") {
      return {
        status: {
          ...base,
          server_kind: check.serverKind,
          reachable: true,
          session: true,
          latency_ms: Date.now() - started,
          tools: check.tools,
          token_accepted: true,
          server: { name: check.serverInfo.name, version: check.serverInfo.version },
        },
      };
    }
    const rejected = check.status === "rejected";
    return {
      status: {
        ...base,
        reachable: rejected || ANSWERED.has(check.fact.code),
        // The Mem0 MCP server refuses in a tool call's text, inside an established session; others with an HTTP status.
        session: rejected && check.fact.status === undefined,
        ...(rejected && { token_accepted: false }),
        problem: check.fact,
      },
    };
  } catch (error) {
    return { status: base, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** status's exit: reachable, a session, and the token not refused. */
export function remoteMcpHealthy(status: ProxyStatus): boolean {
  return status.reachable && status.session && status.token_accepted !== false && status.problem === undefined;
}
