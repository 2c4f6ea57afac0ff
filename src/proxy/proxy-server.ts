import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ErrorCode,
  InitializedNotificationSchema,
  InitializeRequestSchema,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CallToolResult,
  type InitializeRequest,
  type InitializeResult,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type Notification,
  type Result,
  type ServerCapabilities,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { PACKAGE_NAME, VERSION } from "../version.js";
import { ProxyError, RemoteRpcError, type ProxyFact } from "./errors.js";
import { LocalProtocol } from "./local-protocol.js";
import { classifyMem0Result, listsMem0McpTools, MEM0_MCP_SERVER_NAME } from "./mem0-mcp.js";
import { collectProxyStatus } from "./proxy-status.js";
import { CallCancelled, type RemoteLink } from "./remote-link.js";
import type { RemoteAnswer, RemoteInit, RemoteSession } from "./remote-session.js";
import { advertisedCapabilities, sameTools, STATUS_TOOL_NAME, toolsOf, withStatusTool } from "./tool-list.js";
import type { CachedRemote, ProxyWords, RemoteCache } from "./types.js";

/**
 * The client-facing side of the proxy: answers `initialize` with the remote's capabilities (or
 * the cached ones when the remote is slow or down), lists the remote's tools plus memory_status,
 * relays every other request through the link with its deadline, and turns the Mem0 MCP server's
 * `❌` texts into errors.
 */

export interface ProxyServerOptions {
  link: RemoteLink;
  /** Canonical endpoint, as facts name it. */
  endpoint: string;
  cache?: RemoteCache;
  words: ProxyWords;
  logger: Logger;
  /** Deadline of each relayed call. */
  timeoutMs: number;
  /** How long `initialize` waits for the remote's own answer before using the cached one (~2 s). */
  initializeWaitMs: number;
  /** How long tools/list waits for the remote before answering from the cache. */
  listWaitMs: number;
  /** Whether the current credentials carry a token. */
  tokenSent(): boolean;
  /** After a refusal of the token: reads the credentials again; true when they changed (one more try, on a new session). */
  refreshCredentials?(): Promise<boolean>;
  /** Added to memory_status (where the token comes from, …). */
  statusExtras?(): Promise<Record<string, unknown>>;
  /** Removes the credentials from text this side writes (a server may quote a header back). */
  redact(text: string): string;
}

type Params = Record<string, unknown> | undefined;
type Extra = { signal: AbortSignal };

export class ProxyServer {
  readonly protocol = new LocalProtocol();
  private readonly cached: Promise<CachedRemote | undefined>;
  private advertised: ServerCapabilities = advertisedCapabilities(undefined);
  private clientReady = false;
  /** The list the client was last given (or told about). */
  private served?: Tool[];
  private remoteTools?: Tool[];
  private kind: "mem0-mcp" | "mcp" | null = null;
  private tokenAccepted?: boolean;
  private readonly progressTokens = new Set<string | number>();
  private refreshing?: Promise<void>;
  /** Cache writes under way: close() lets them finish, so the next process finds what this one learnt. */
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly o: ProxyServerOptions) {
    this.cached = (o.cache?.load() ?? Promise.resolve(undefined)).catch(() => undefined);
    void this.cached.then((cached) => {
      if (this.kind === null && cached !== undefined) this.learnKind(cached.server?.serverInfo.name, cached.tools);
    });
    const p = this.protocol;
    p.setRequestHandler(InitializeRequestSchema, (request) => this.initialize(request));
    p.setNotificationHandler(InitializedNotificationSchema, () => {
      this.clientReady = true;
      void this.announceIfChanged();
    });
    p.fallbackRequestHandler = (request, extra) => this.route(request, extra);
    // roots/list_changed and the like: the remote session declares no client capabilities.
    p.fallbackNotificationHandler = async () => undefined;
  }

  connect(transport: Transport): Promise<void> {
    return this.protocol.connect(transport);
  }

  async close(): Promise<void> {
    await Promise.all(this.writes);
    await this.protocol.close();
  }

  /** The link established a session (at start, or after one was lost). */
  sessionUp(session: RemoteSession): void {
    this.learnKind(session.init.serverInfo.name, this.remoteTools);
    this.track(this.remember(session.init));
    void this.refreshTools();
  }

  /** A notification of the remote's current session. */
  remoteNotification(notification: JSONRPCNotification): void {
    const params = notification.params as Record<string, unknown> | undefined;
    switch (notification.method) {
      case "notifications/progress": {
        const token = params?.["progressToken"];
        if ((typeof token === "string" || typeof token === "number") && this.progressTokens.has(token)) this.forward(notification);
        return;
      }
      case "notifications/tools/list_changed":
        void this.refreshTools();
        return;
      case "notifications/message":
        if (this.advertised.logging) this.forward(notification);
        return;
      case "notifications/resources/list_changed":
      case "notifications/resources/updated":
        if (this.advertised.resources) this.forward(notification);
        return;
      case "notifications/prompts/list_changed":
        if (this.advertised.prompts) this.forward(notification);
        return;
      default:
        this.o.logger.debug("remote notification not relayed", { method: notification.method });
    }
  }

  private async initialize(request: InitializeRequest): Promise<InitializeResult> {
    const [session, cached] = await Promise.all([this.o.link.ready(this.o.initializeWaitMs), this.cached]);
    const source: RemoteInit | undefined = session?.init ?? cached?.server;
    this.advertised = advertisedCapabilities(source?.capabilities);
    const requested = request.params.protocolVersion;
    this.o.logger.debug("initialize answered", { from: session ? "remote" : source ? "cache" : "none" });
    return {
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      capabilities: this.advertised,
      serverInfo: source?.serverInfo ?? { name: PACKAGE_NAME, version: VERSION },
      ...(source?.instructions === undefined ? {} : { instructions: source.instructions }),
    };
  }

  private route(request: JSONRPCRequest, extra: Extra): Promise<Result> {
    const params = request.params as Params;
    switch (request.method) {
      case "tools/list":
        return this.listTools(params, extra.signal);
      case "tools/call":
        return params?.["name"] === STATUS_TOOL_NAME ? this.status(extra.signal) : this.callTool(params, extra.signal, true);
      default:
        return this.relay(request.method, params, extra.signal);
    }
  }

  private async relay(method: string, params: Params, signal: AbortSignal): Promise<Result> {
    try {
      return unwrap(await this.o.link.call(method, params, { signal, timeoutMs: this.o.timeoutMs, mayChangeData: false }));
    } catch (error) {
      if (error instanceof ProxyError) throw new RemoteRpcError(ErrorCode.InternalError, this.sentence(error.fact));
      throw error;
    }
  }

  private async listTools(params: Params, signal: AbortSignal): Promise<Result> {
    const cursor = params?.["cursor"];
    if (await this.o.link.ready(this.o.listWaitMs)) {
      try {
        const answer = await this.o.link.call("tools/list", params, { signal, timeoutMs: this.o.listWaitMs, mayChangeData: false });
        const result = unwrap(answer);
        if (cursor !== undefined) return result;
        const tools = toolsOf(result);
        this.learnTools(tools, result["nextCursor"] === undefined);
        this.served = withStatusTool(tools);
        return { ...result, tools: this.served };
      } catch (error) {
        if (error instanceof CallCancelled || cursor !== undefined) throw error;
        this.o.logger.debug("tools/list from the remote failed; answering from what is known", { error: String(error) });
      }
    }
    if (cursor !== undefined) {
      throw new RemoteRpcError(ErrorCode.InternalError, this.sentence(this.o.link.lastFailure ?? this.unavailable()));
    }
    const known = this.remoteTools ?? (await this.cached)?.tools ?? [];
    this.served = withStatusTool(known);
    return { tools: this.served };
  }

  private async callTool(params: Params, signal: AbortSignal, mayRefresh: boolean): Promise<CallToolResult> {
    const meta = params?.["_meta"] as Record<string, unknown> | undefined;
    const token = meta?.["progressToken"];
    const tracked = typeof token === "string" || typeof token === "number" ? token : undefined;
    if (tracked !== undefined) this.progressTokens.add(tracked);
    try {
      const answer = await this.o.link.call("tools/call", params, { signal, timeoutMs: this.o.timeoutMs, mayChangeData: true });
      const result = unwrap(answer) as CallToolResult;
      if (this.kind !== "mem0-mcp") return result;
      const verdict = classifyMem0Result(result);
      if (verdict.kind === "auth-failed") {
        throw new ProxyError({ code: "auth-rejected", endpoint: this.o.endpoint, reason: verdict.reason, tokenSent: this.o.tokenSent() });
      }
      this.tokenAccepted = true;
      return verdict.kind === "failed" ? { ...result, isError: true } : result;
    } catch (error) {
      if (!(error instanceof ProxyError)) throw error;
      if (error.fact.code === "auth-rejected") {
        this.tokenAccepted = false;
        // A refused call did not run (authentication comes first): with a token stored since, try once more.
        if (mayRefresh && (await this.o.refreshCredentials?.())) {
          await this.o.link.reconnect();
          return await this.callTool(params, signal, false);
        }
      }
      return this.failed(error.fact);
    } finally {
      if (tracked !== undefined) this.progressTokens.delete(tracked);
    }
  }

  private async status(signal: AbortSignal): Promise<CallToolResult> {
    const facts = await collectProxyStatus(
      {
        link: this.o.link,
        endpoint: this.o.endpoint,
        kind: this.kind,
        toolCount: this.remoteTools?.length,
        tokenAccepted: this.tokenAccepted,
        tokenSent: this.o.tokenSent(),
        timeoutMs: this.o.timeoutMs,
        ...(this.o.statusExtras ? { extras: this.o.statusExtras } : {}),
      },
      signal,
    );
    if (facts.token_accepted !== undefined) this.tokenAccepted = facts.token_accepted;
    const shown = JSON.parse(this.o.redact(JSON.stringify(facts))) as typeof facts;
    return { content: [{ type: "text", text: this.o.redact(this.o.words.status(facts)) }], structuredContent: shown };
  }

  private failed(fact: ProxyFact): CallToolResult {
    return { content: [{ type: "text", text: this.sentence(fact) }], isError: true };
  }

  private sentence(fact: ProxyFact): string {
    return this.o.redact(this.o.words.failure(fact));
  }

  private unavailable(): ProxyFact {
    return { code: "unavailable", endpoint: this.o.endpoint };
  }

  private refreshTools(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const answer = await this.o.link.call("tools/list", undefined, { timeoutMs: this.o.timeoutMs, mayChangeData: false });
        const result = unwrap(answer);
        this.learnTools(toolsOf(result), result["nextCursor"] === undefined);
        await this.announceIfChanged();
      } catch (error) {
        this.o.logger.debug("could not refresh the remote tool list", { error: String(error) });
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private learnTools(tools: Tool[], complete: boolean): void {
    const before = this.remoteTools;
    this.remoteTools = tools;
    this.learnKind(undefined, tools);
    if (complete && (before === undefined || !sameTools(before, tools))) {
      this.track(
        this.cached.then(async (cached) => {
          if (cached?.tools === undefined || !sameTools(cached.tools, tools)) await this.o.cache?.saveTools(tools);
        }),
      );
    }
  }

  private learnKind(serverName: string | undefined, tools: readonly Tool[] | undefined): void {
    if (serverName === MEM0_MCP_SERVER_NAME || (tools !== undefined && listsMem0McpTools(tools))) this.kind = "mem0-mcp";
    else if (tools !== undefined) this.kind = "mcp";
  }

  /** Tells the client its list changed, once it has one that differs from the remote's. */
  private async announceIfChanged(): Promise<void> {
    if (!this.clientReady || this.served === undefined || this.remoteTools === undefined) return;
    const current = withStatusTool(this.remoteTools);
    if (sameTools(current, this.served)) return;
    this.served = current;
    this.o.logger.debug("the remote tool list differs from the one the client has; announcing it");
    await this.protocol.notification({ method: "notifications/tools/list_changed" }).catch(() => undefined);
  }

  private async remember(init: RemoteInit): Promise<void> {
    const cached = await this.cached;
    if (cached?.server !== undefined && JSON.stringify(cached.server) === JSON.stringify(init)) return;
    await this.o.cache?.saveServer(init);
  }

  private track(write: Promise<void>): void {
    const settled = write.catch((error: unknown) => this.o.logger.debug("cache write failed", { error: String(error) }));
    this.writes.add(settled);
    void settled.finally(() => this.writes.delete(settled));
  }

  private forward(notification: JSONRPCNotification): void {
    this.protocol.notification(notification as Notification).catch(() => undefined);
  }
}

/** The result, or the remote's JSON-RPC error passed on unchanged. */
function unwrap(answer: RemoteAnswer): Result {
  if ("error" in answer) throw new RemoteRpcError(answer.error.code, answer.error.message, answer.error.data);
  return answer.result as Result;
}
