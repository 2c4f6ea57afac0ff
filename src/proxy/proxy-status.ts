import { VERSION } from "../version.js";
import { ProxyError } from "./errors.js";
import { classifyMem0Result, MEM0_MCP_TOKEN_CHECK } from "./mem0-mcp.js";
import type { RemoteLink } from "./remote-link.js";
import type { ProxyStatus } from "./types.js";

export interface StatusSources {
  link: RemoteLink;
  endpoint: string;
  kind: ProxyStatus["server_kind"];
  toolCount: number | undefined;
  tokenAccepted: boolean | undefined;
  tokenSent: boolean;
  timeoutMs: number;
  extras?(): Promise<Record<string, unknown>>;
}

/** How long memory_status waits for a session before reporting the remote unreachable. */
const STATUS_WAIT_MS = 5000;

/**
 * memory_status in proxy mode: a session (waiting a bounded time for one), a ping for the
 * latency, and for the Mem0 MCP server its cheapest authenticated call to say whether the token
 * is accepted. Facts only; the edge words them.
 */
export async function collectProxyStatus(sources: StatusSources, signal: AbortSignal): Promise<ProxyStatus> {
  const { link, endpoint } = sources;
  const extras = (await sources.extras?.().catch(() => undefined)) ?? {};
  const session = await link.ready(Math.min(sources.timeoutMs, STATUS_WAIT_MS));
  const status: ProxyStatus = {
    ...extras,
    endpoint,
    backend: "mcp",
    server_kind: sources.kind,
    transport: session?.kind ?? null,
    reachable: false,
    session: session !== undefined,
    ...(sources.toolCount === undefined ? {} : { tools: sources.toolCount }),
    ...(sources.tokenAccepted === undefined ? {} : { token_accepted: sources.tokenAccepted }),
    version: VERSION,
  };
  if (session === undefined) {
    const problem = link.lastFailure ?? { code: "unavailable" as const, endpoint };
    // A refusal or an unexpected status is still an answer.
    status.reachable = problem.code === "auth-rejected" || problem.code === "http-status";
    if (problem.code === "auth-rejected") status.token_accepted = false;
    status.problem = problem;
    return status;
  }
  status.reachable = true;
  status.server = { name: session.init.serverInfo.name, version: session.init.serverInfo.version };
  const call = { signal, timeoutMs: sources.timeoutMs, mayChangeData: false };
  try {
    const started = performance.now();
    await link.call("ping", undefined, call);
    status.latency_ms = Math.round(performance.now() - started);
    if (sources.kind === "mem0-mcp") {
      const answer = await link.call("tools/call", { ...MEM0_MCP_TOKEN_CHECK }, call);
      const verdict = "result" in answer ? classifyMem0Result(answer.result) : undefined;
      if (verdict !== undefined) status.token_accepted = verdict.kind !== "auth-failed";
      if (verdict?.kind === "auth-failed") {
        status.problem = { code: "auth-rejected", endpoint, reason: verdict.reason, tokenSent: sources.tokenSent };
      }
    }
  } catch (error) {
    if (!(error instanceof ProxyError)) throw error;
    status.problem = error.fact;
    if (error.fact.code === "unavailable") status.reachable = false;
  }
  return status;
}
