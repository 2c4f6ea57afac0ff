import { SSEClientTransport, SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Implementation,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../log.js";
import { ProxyError } from "./errors.js";
import { classifySendError, failureFact, SendFailed, type SendFailure } from "./send-failure.js";
import type { RemoteHttp } from "./remote-fetch.js";

/**
 * One MCP session with the remote server, spoken as raw JSON-RPC over the SDK's client transports
 * (Streamable HTTP, or the legacy SSE transport when the endpoint ends in /sse or answers the
 * first POST with 404/405, as mcp-remote does). Raw rather than the SDK's Client, so that each
 * request's fate is known: answered, refused unprocessed (resend it), or lost after it was sent.
 */

export type TransportKind = "streamable-http" | "sse";

export interface RemoteInit {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: Implementation;
  instructions?: string;
}

export type RemoteAnswer = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

/** Why a session can no longer be used. */
export type LostReason = "expired" | "unreachable" | "stream-closed" | "closed";

export interface OpenOptions {
  http: RemoteHttp;
  /** Credential and extra headers for every request of this session. */
  headers: Record<string, string>;
  /** Whether `headers` carry a credential (for the auth-rejected fact). */
  tokenSent: boolean;
  clientInfo: Implementation;
  /** Bound of the whole handshake. */
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

interface Pending {
  method: string;
  /** The POST carrying it was accepted (2xx): it reached the server. */
  sent: boolean;
  resolve(answer: RemoteAnswer): void;
  reject(error: SendFailed): void;
  cleanup(): void;
}

const FALLBACK_STATUSES = new Set([404, 405]);

export class RemoteSession {
  onNotification?: (notification: JSONRPCNotification) => void;
  onLost?: (reason: LostReason) => void;
  private readonly pending = new Map<RequestId, Pending>();
  private nextId = 1;
  private lostReason?: LostReason;
  private established = false;
  private idleWaiters: (() => void)[] = [];
  private initResult?: RemoteInit;
  /** Milliseconds the initialize round trip took. */
  latencyMs = 0;

  private constructor(
    private readonly transport: Transport,
    readonly kind: TransportKind,
    /** Canonical endpoint, as facts name it. */
    readonly endpoint: string,
    private readonly logger: Logger,
  ) {
    transport.onmessage = (message) => this.receive(message);
    transport.onerror = (error) => this.transportError(error);
    transport.onclose = () => this.markLost("closed");
  }

  /** Opens a session: Streamable HTTP first unless the URL ends in /sse, legacy SSE on 404/405. Throws ProxyError. */
  static async open(options: OpenOptions): Promise<RemoteSession> {
    if (!/\/sse\/?$/.test(options.http.url.pathname)) {
      try {
        return await RemoteSession.handshake("streamable-http", options);
      } catch (error) {
        const status = error instanceof SendFailed && error.failure.kind === "status" ? error.failure.status : undefined;
        if (status === undefined || !FALLBACK_STATUSES.has(status)) throw toOpenError(error, options);
        options.logger.debug("the endpoint does not take Streamable HTTP; trying the legacy SSE transport", { status });
      }
    }
    try {
      return await RemoteSession.handshake("sse", options);
    } catch (error) {
      // The event stream's GET was answered with a status: neither transport is served at this URL.
      if (error instanceof SseError && typeof error.code === "number" && error.code >= 400) {
        if (error.code === 401 || error.code === 403) {
          throw new ProxyError({ code: "auth-rejected", endpoint: options.http.endpoint, status: error.code, tokenSent: options.tokenSent });
        }
        throw new ProxyError({ code: "http-status", endpoint: options.http.endpoint, status: error.code });
      }
      throw toOpenError(error, options);
    }
  }

  private static async handshake(kind: TransportKind, options: OpenOptions): Promise<RemoteSession> {
    let session: RemoteSession | undefined;
    const fetch = options.http.fetchWith({
      headers: options.headers,
      onAnswerLost: (ids, end) => session?.answerLost(ids, end, options.http.maxResponseBytes),
    });
    const transport =
      kind === "sse" ? new SSEClientTransport(options.http.url, { fetch }) : new StreamableHTTPClientTransport(options.http.url, { fetch });
    session = new RemoteSession(transport, kind, options.http.endpoint, options.logger);
    const bound = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, bound]) : bound;
    const started = performance.now();
    try {
      await untilAborted(transport.start(), signal);
      const answer = await session.request(
        "initialize",
        { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: options.clientInfo },
        signal,
      );
      session.latencyMs = Math.round(performance.now() - started);
      session.initResult = parseInitialize(answer, options.http.endpoint);
      (transport as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.(session.initResult.protocolVersion);
      session.established = true;
      await session.notify("notifications/initialized");
      return session;
    } catch (error) {
      await session.close(false);
      if (bound.aborted && !(options.signal?.aborted ?? false)) {
        throw new ProxyError({ code: "unavailable", endpoint: options.http.endpoint, cause: "timeout" });
      }
      throw error;
    }
  }

  get init(): RemoteInit {
    if (this.initResult === undefined) throw new Error("session not initialised");
    return this.initResult;
  }

  get alive(): boolean {
    return this.lostReason === undefined;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once no request of this session awaits its answer. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Sends one request. Resolves with the remote's answer (a result or a JSON-RPC error); rejects
   * with SendFailed saying whether it can have run. Aborting `signal` sends notifications/cancelled.
   */
  request(method: string, params: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<RemoteAnswer> {
    if (this.lostReason !== undefined) {
      return Promise.reject(new SendFailed(this.lostReason === "expired" ? { kind: "expired" } : { kind: "unsent", cause: this.lostReason }));
    }
    const id = this.nextId++;
    return new Promise<RemoteAnswer>((resolve, reject) => {
      const onAbort = () => {
        if (!this.settle(id)) return;
        void this.notify("notifications/cancelled", { requestId: id, reason: abortReason(signal) });
        reject(new SendFailed({ kind: "aborted" }));
      };
      if (signal?.aborted) return reject(new SendFailed({ kind: "aborted" }));
      const entry: Pending = { method, sent: false, resolve, reject, cleanup: () => signal?.removeEventListener("abort", onAbort) };
      this.pending.set(id, entry);
      signal?.addEventListener("abort", onAbort, { once: true });
      const message = { jsonrpc: "2.0" as const, id, method, ...(params === undefined ? {} : { params }) };
      this.transport.send(message).then(
        () => {
          entry.sent = true;
        },
        (error: unknown) => {
          if (this.pending.get(id) !== entry) return;
          this.settle(id);
          const failure = classifySendError(error, this.established);
          if (failure.kind === "expired") this.markLost("expired");
          if (failure.kind === "unsent") this.markLost("unreachable");
          reject(new SendFailed(failure));
        },
      );
    });
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    try {
      await this.transport.send({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
    } catch (error) {
      this.logger.debug("a notification to the remote server failed", { method, error });
    }
  }

  /** Ends the session (DELETE for Streamable HTTP when `terminate`); requests still waiting fail as closed. */
  async close(terminate = true): Promise<void> {
    this.markLost("closed");
    if (terminate && this.established && this.transport instanceof StreamableHTTPClientTransport) {
      await untilAborted(this.transport.terminateSession(), AbortSignal.timeout(2000)).catch(() => undefined);
    }
    await this.transport.close().catch(() => undefined);
    for (const id of [...this.pending.keys()]) this.fail(id, { kind: "closed" });
  }

  private receive(message: JSONRPCMessage): void {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const entry = this.pending.get(message.id as RequestId);
      if (entry === undefined || !this.settle(message.id as RequestId)) return;
      entry.resolve("result" in message ? { result: message.result as Record<string, unknown> } : { error: message.error });
      return;
    }
    if (isJSONRPCRequest(message)) {
      // This client declares no capabilities (no sampling, roots or elicitation): only ping is answered.
      const reply =
        message.method === "ping"
          ? { jsonrpc: "2.0" as const, id: message.id, result: {} }
          : { jsonrpc: "2.0" as const, id: message.id, error: { code: -32601, message: "Method not found" } };
      this.transport.send(reply).catch(() => undefined);
      return;
    }
    if (isJSONRPCNotification(message)) this.onNotification?.(message);
  }

  private transportError(error: Error): void {
    this.logger.debug("remote transport", { kind: this.kind, error: error.message });
    if (this.kind === "sse" && this.established && error instanceof SseError) {
      // The legacy transport's one stream carried every answer, and the server's session lived
      // on it: answers to requests already accepted are lost; the others will get 404 and be resent.
      for (const [id, entry] of [...this.pending]) if (entry.sent) this.fail(id, { kind: "maybe-sent", cause: "stream-closed" });
      this.markLost("stream-closed");
      void this.transport.close().catch(() => undefined);
    }
  }

  private answerLost(ids: RequestId[], end: "broken" | "too-large", limitBytes: number): void {
    for (const id of ids) this.fail(id, end === "too-large" ? { kind: "too-large", limitBytes } : { kind: "maybe-sent", cause: "stream-broken" });
  }

  private fail(id: RequestId, failure: SendFailure): void {
    const entry = this.pending.get(id);
    if (entry !== undefined && this.settle(id)) entry.reject(new SendFailed(failure));
  }

  /** Removes a pending request; false when it was already settled. */
  private settle(id: RequestId): boolean {
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    this.pending.delete(id);
    entry.cleanup();
    if (this.pending.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
    return true;
  }

  private markLost(reason: LostReason): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    if (this.established) this.onLost?.(reason);
  }
}

function parseInitialize(answer: RemoteAnswer, endpoint: string): RemoteInit {
  if ("error" in answer) {
    throw new ProxyError({ code: "protocol", endpoint, detail: `initialize was refused: ${answer.error.message.slice(0, 200)}` });
  }
  const r = answer.result;
  const info = r["serverInfo"] as Implementation | undefined;
  if (typeof r["protocolVersion"] !== "string" || typeof r["capabilities"] !== "object" || r["capabilities"] === null || typeof info?.name !== "string") {
    throw new ProxyError({ code: "protocol", endpoint, detail: "the initialize answer is not MCP's" });
  }
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(r["protocolVersion"])) {
    throw new ProxyError({ code: "protocol", endpoint, detail: `unsupported protocol version ${r["protocolVersion"].slice(0, 40)}` });
  }
  return {
    protocolVersion: r["protocolVersion"],
    capabilities: r["capabilities"] as Record<string, unknown>,
    serverInfo: info,
    ...(typeof r["instructions"] === "string" ? { instructions: r["instructions"] } : {}),
  };
}

function toOpenError(error: unknown, options: OpenOptions): unknown {
  if (!(error instanceof SendFailed)) return error;
  return new ProxyError(failureFact(error.failure, { endpoint: options.http.endpoint, method: "initialize", tokenSent: options.tokenSent }));
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "cancelled";
}

/** `promise`, or a rejection as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
