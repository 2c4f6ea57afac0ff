import type { Implementation } from "@modelcontextprotocol/sdk/types.js";
import { canonicalEndpoint } from "../core/endpoint.js";
import type { Logger } from "../log.js";
import { PACKAGE_NAME, VERSION } from "../version.js";
import type { ProxyAuthScheme } from "./auth-headers.js";
import { ProxyError, type ProxyFact } from "./errors.js";
import { classifyMem0Result, listsMem0McpTools, MEM0_MCP_SERVER_NAME, MEM0_MCP_TOKEN_CHECK } from "./mem0-mcp.js";
import { createRemoteHttp } from "./remote-fetch.js";
import { RemoteSession, type TransportKind } from "./remote-session.js";
import { failureFact, SendFailed } from "./send-failure.js";
import { toolsOf } from "./tool-list.js";
import type { ProxyCredentials } from "./types.js";

/**
 * One-off looks at a remote MCP server for `login`, `status` and `doctor`: which server it is
 * (and so the default auth scheme), and whether it accepts a token. Each opens its own session and
 * ends it. Facts only.
 */

export interface ProbeOptions {
  endpoint: string;
  logger: Logger;
  allowHttp?: boolean;
  caFile?: string;
  /** Bound of the whole look. Default 10 s. */
  timeoutMs?: number;
}

export type ServerKind = "mem0-mcp" | "mcp";

export interface RemoteMcpDetection {
  status: "found";
  serverKind: ServerKind;
  /** x-mcp-token for a server that lists the Mem0 MCP server's tools, else bearer. */
  defaultScheme: ProxyAuthScheme;
  /** true: it refused an unauthenticated initialize, or it is the Mem0 MCP server (every tool checks a token); undefined: cannot tell. */
  authRequired?: boolean;
  serverInfo?: Implementation;
  tools?: number;
  transport?: TransportKind;
}

export type TokenCheck =
  | {
      status: "accepted";
      serverKind: ServerKind;
      /** "tool-call": the Mem0 MCP server's cheapest authenticated call passed; "initialize": the server opened a session with the token (one that needs none accepts any). */
      checkedWith: "tool-call" | "initialize";
      tools: number;
      serverInfo: Implementation;
    }
  | { status: "rejected"; fact: Extract<ProxyFact, { code: "auth-rejected" }> }
  | { status: "failed"; fact: ProxyFact };

/** The scheme a server needs by default, judged from its tool list. */
export function defaultAuthScheme(tools: readonly unknown[]): ProxyAuthScheme {
  return listsMem0McpTools(tools) ? "x-mcp-token" : "bearer";
}

/** What answers at `endpoint`, asked without credentials (the Mem0 MCP server lists its tools to anyone). */
export async function detectRemoteMcp(options: ProbeOptions): Promise<RemoteMcpDetection | { status: "failed"; fact: ProxyFact }> {
  try {
    return await withSession(options, undefined, async (session, call) => {
      const tools = toolsOf((await call("tools/list")));
      const mem0 = session.init.serverInfo.name === MEM0_MCP_SERVER_NAME || listsMem0McpTools(tools);
      return {
        status: "found",
        serverKind: mem0 ? "mem0-mcp" : "mcp",
        defaultScheme: mem0 ? "x-mcp-token" : defaultAuthScheme(tools),
        ...(mem0 ? { authRequired: true } : {}),
        serverInfo: session.init.serverInfo,
        tools: tools.length,
        transport: session.kind,
      };
    });
  } catch (error) {
    const fact = factOf(error, canonicalEndpoint(options.endpoint), false);
    if (fact.code === "auth-rejected") return { status: "found", serverKind: "mcp", defaultScheme: "bearer", authRequired: true };
    return { status: "failed", fact };
  }
}

/**
 * Whether the server accepts these credentials, with the cheapest authenticated call it offers:
 * for the Mem0 MCP server (initialize and tools/list need none) a read-only tool with the smallest
 * answer, its `❌ Authentication failed` text being the refusal; for others the session itself.
 */
export async function checkRemoteToken(options: ProbeOptions & { credentials: ProxyCredentials }): Promise<TokenCheck> {
  try {
    return await withSession(options, options.credentials, async (session, call) => {
      const tools = toolsOf((await call("tools/list")));
      const base = { tools: tools.length, serverInfo: session.init.serverInfo };
      if (!(session.init.serverInfo.name === MEM0_MCP_SERVER_NAME || listsMem0McpTools(tools))) {
        return { status: "accepted", serverKind: "mcp", checkedWith: "initialize", ...base };
      }
      const verdict = classifyMem0Result((await call("tools/call", { ...MEM0_MCP_TOKEN_CHECK })));
      if (verdict.kind === "auth-failed") {
        return { status: "rejected", fact: { code: "auth-rejected", endpoint: session.endpoint, reason: verdict.reason, tokenSent: true } };
      }
      return { status: "accepted", serverKind: "mem0-mcp", checkedWith: "tool-call", ...base };
    });
  } catch (error) {
    const fact = factOf(error, canonicalEndpoint(options.endpoint), Object.keys(options.credentials.secret).length > 0);
    return fact.code === "auth-rejected" ? { status: "rejected", fact } : { status: "failed", fact };
  }
}

type Call = (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;

async function withSession<T>(
  options: ProbeOptions,
  credentials: ProxyCredentials | undefined,
  run: (session: RemoteSession, call: Call) => Promise<T>,
): Promise<T> {
  const http = createRemoteHttp({
    endpoint: options.endpoint,
    allowHttp: options.allowHttp ?? false,
    maxResponseBytes: 4 * 1024 * 1024,
    logger: options.logger,
    ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
  });
  for (const value of Object.values(credentials?.secret ?? {})) options.logger.addSecret(value);
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    const session = await RemoteSession.open({
      http,
      headers: { ...credentials?.plain, ...credentials?.secret },
      tokenSent: Object.keys(credentials?.secret ?? {}).length > 0,
      clientInfo: { name: PACKAGE_NAME, version: VERSION },
      timeoutMs: options.timeoutMs ?? 10_000,
      logger: options.logger,
      signal: deadline,
    });
    try {
      return await run(session, async (method, params) => {
        const answer = await session.request(method, params, deadline);
        if ("error" in answer) throw new ProxyError({ code: "protocol", endpoint: http.endpoint, detail: `${method}: ${answer.error.message.slice(0, 200)}` });
        return answer.result;
      });
    } finally {
      await session.close();
    }
  } finally {
    await http.close();
  }
}

function factOf(error: unknown, endpoint: string, tokenSent: boolean): ProxyFact {
  if (error instanceof ProxyError) return error.fact;
  if (error instanceof SendFailed) return failureFact(error.failure, { endpoint, method: "tools/call", tokenSent });
  throw error;
}
