import type { JSONRPCNotification } from "@modelcontextprotocol/sdk/types.js";
import { backoffDelay } from "../http/retry.js";
import type { Logger } from "../log.js";
import { ProxyError, type ProxyFact } from "./errors.js";
import { untilAborted, type LostReason, type RemoteAnswer, type RemoteSession } from "./remote-session.js";
import { failureFact, SendFailed, type SendFailure } from "./send-failure.js";

/**
 * The link to the remote server over time: connects at once, keeps one session, replaces it when
 * it is lost (an expired session is re-initialised transparently), retries in the background
 * with backoff while the server is down, and relays each call with its deadline, sending it again
 * only when it cannot have run.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Background attempts after a failure; any later demand (a call, a list) starts a new series. */
  attempts: number;
}

export interface RemoteLinkOptions {
  endpoint: string;
  /** Opens a session (reading the current credentials); throws ProxyError. */
  open(signal: AbortSignal): Promise<RemoteSession>;
  logger: Logger;
  /** Whether the current credentials carry a token (for the auth-rejected fact). */
  tokenSent(): boolean;
  backoff?: Partial<BackoffPolicy>;
  random?: () => number;
  /** Runs `retry` after `delayMs` (default: an unref'd timer); injected for deterministic tests. */
  schedule?(retry: () => void, delayMs: number): { cancel(): void };
  /** Each new session, once established. */
  onSession?(session: RemoteSession): void;
  /** Notifications of the current session. */
  onNotification?(notification: JSONRPCNotification): void;
}

export interface CallOptions {
  /** The client's cancellation. */
  signal?: AbortSignal;
  timeoutMs: number;
  /**
   * A tools/call may change data: it is sent again only when it cannot have run. Other requests
   * (lists, reads) are also sent again when their answer was lost.
   */
  mayChangeData: boolean;
}

export type LinkState = "connecting" | "up" | "down" | "closed";

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, attempts: 12 };
/** Sends of one call at most (each expired session or unreachable attempt counts). */
const MAX_SENDS = 4;

/** Raised when the caller's own signal aborted the call; the local side answers nothing then. */
export class CallCancelled extends Error {
  override name = "CallCancelled";
}

export class RemoteLink {
  private current?: RemoteSession;
  private attempt?: Promise<RemoteSession | undefined>;
  private attemptAbort?: AbortController;
  private retryTimer?: { cancel(): void };
  private retries = 0;
  private closed = false;
  private readonly retiring = new Set<RemoteSession>();
  private readonly backoff: BackoffPolicy;
  /** Why the last attempt to open a session failed (cleared by success). */
  lastFailure?: ProxyFact;

  constructor(private readonly options: RemoteLinkOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /** Starts connecting now; never throws. */
  start(): void {
    void this.connect();
  }

  get session(): RemoteSession | undefined {
    return this.current;
  }

  get state(): LinkState {
    if (this.closed) return "closed";
    if (this.current !== undefined) return "up";
    return this.attempt !== undefined ? "connecting" : "down";
  }

  /** The session, waiting at most `waitMs` for one to be established; undefined when none comes in time. */
  async ready(waitMs: number): Promise<RemoteSession | undefined> {
    if (this.current !== undefined) return this.current;
    const attempt = this.demand();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, waitMs));
    });
    try {
      return await Promise.race([attempt, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one request with its deadline; resolves with the remote's answer, throws ProxyError or CallCancelled. */
  async call(method: string, params: Record<string, unknown> | undefined, options: CallOptions): Promise<RemoteAnswer> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error("deadline")), options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    let sent = false;
    const fact = (failure: SendFailure): ProxyFact => failureFact(failure, { endpoint: this.options.endpoint, method, tokenSent: this.options.tokenSent() });
    try {
      for (let sends = 1; ; sends++) {
        sent = false;
        const session = await this.sessionFor(signal);
        try {
          sent = true;
          return await session.request(method, params, signal);
        } catch (error) {
          if (!(error instanceof SendFailed)) throw error;
          const failure = error.failure;
          if (failure.kind === "aborted") throw error;
          const again = this.sendAgain(session, failure, options.mayChangeData);
          if (!again) throw new ProxyError(fact(failure));
          if (!failure.kind.startsWith("maybe")) sent = false;
          this.options.logger.debug("sending again", { method, reason: failure.kind, sends });
          if (sends >= MAX_SENDS) throw new ProxyError(fact(failure));
          if (failure.kind === "refused") await this.pause(sends, signal);
        }
      }
    } catch (error) {
      if (options.signal?.aborted) throw new CallCancelled("cancelled by the client");
      if (deadline.signal.aborted) {
        throw new ProxyError({ code: "deadline", endpoint: this.options.endpoint, method, timeoutMs: options.timeoutMs, sent });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the current session (e.g. the credentials changed) and opens a new one. */
  async reconnect(): Promise<RemoteSession | undefined> {
    if (this.current !== undefined) this.lose(this.current, "closed");
    return this.connect();
  }

  /** Stops retrying, waits for the requests in flight (bounded by their deadlines), ends every session. */
  async close(): Promise<void> {
    this.closed = true;
    this.retryTimer?.cancel();
    this.attemptAbort?.abort(new Error("closing"));
    const sessions = [...this.retiring, ...(this.current ? [this.current] : [])];
    this.current = undefined;
    await Promise.all(
      sessions.map(async (session) => {
        await session.idle();
        await session.close();
      }),
    );
  }

  /** Whether to send again after `failure`, dropping the session first when it is gone. */
  private sendAgain(session: RemoteSession, failure: SendFailure, mayChangeData: boolean): boolean {
    switch (failure.kind) {
      case "expired":
        this.lose(session, "expired");
        return true;
      case "unsent":
        this.lose(session, "unreachable");
        return true;
      case "refused":
        return true;
      case "maybe-sent":
        return !mayChangeData;
      default:
        return false;
    }
  }

  private async sessionFor(signal: AbortSignal): Promise<RemoteSession> {
    if (this.current !== undefined) return this.current;
    const session = await untilAborted(this.demand(), signal);
    if (session !== undefined) return session;
    throw new ProxyError(this.lastFailure ?? { code: "unavailable", endpoint: this.options.endpoint });
  }

  /** Someone needs the remote now: try at once, and start a new series of background retries if that fails. */
  private demand(): Promise<RemoteSession | undefined> {
    this.retries = 0;
    return this.connect();
  }

  private connect(): Promise<RemoteSession | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.attempt ??= this.open().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  private async open(): Promise<RemoteSession | undefined> {
    const abort = new AbortController();
    this.attemptAbort = abort;
    try {
      const session = await this.options.open(abort.signal);
      if (this.closed) {
        await session.close();
        return undefined;
      }
      this.adopt(session);
      return session;
    } catch (error) {
      this.lastFailure = error instanceof ProxyError ? error.fact : { code: "unavailable", endpoint: this.options.endpoint, cause: String(error).slice(0, 80) };
      this.options.logger.debug("could not open a session with the remote server", { failure: this.lastFailure });
      this.scheduleRetry();
      return undefined;
    }
  }

  private adopt(session: RemoteSession): void {
    this.current = session;
    this.retries = 0;
    this.lastFailure = undefined;
    session.onLost = (reason) => this.lose(session, reason);
    session.onNotification = (notification) => {
      if (this.current === session) this.options.onNotification?.(notification);
    };
    this.options.logger.debug("remote session established", { transport: session.kind, ms: session.latencyMs });
    this.options.onSession?.(session);
  }

  /** The session can no longer be used: stop giving it out, close it once idle, open another. */
  private lose(session: RemoteSession, reason: LostReason): void {
    if (this.current !== session) return;
    this.current = undefined;
    this.options.logger.debug("remote session lost", { reason });
    this.retiring.add(session);
    void session
      .idle()
      .then(() => session.close())
      .finally(() => this.retiring.delete(session));
    void this.connect();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retries >= this.backoff.attempts) return;
    this.retries++;
    const delay = backoffDelay(this.retries, this.options.random ?? Math.random, { baseMs: this.backoff.baseMs, capMs: this.backoff.capMs });
    this.retryTimer = (this.options.schedule ?? unrefTimer)(() => void this.connect(), delay);
  }

  private pause(sends: number, signal: AbortSignal): Promise<void> {
    const delay = backoffDelay(sends, this.options.random ?? Math.random, { baseMs: 100, capMs: 2000 });
    return untilAborted(new Promise<void>((resolve) => setTimeout(resolve, delay).unref()), signal);
  }
}

function unrefTimer(run: () => void, delayMs: number): { cancel(): void } {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
