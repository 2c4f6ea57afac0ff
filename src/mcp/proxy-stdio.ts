import { redactText, SecretRedactor } from "../core/secrets.js";
import type { Logger } from "../log.js";
import { ProxyServer } from "../proxy/proxy-server.js";
import { createRemoteHttp } from "../proxy/remote-fetch.js";
import { RemoteLink, type BackoffPolicy } from "../proxy/remote-link.js";
import { RemoteSession } from "../proxy/remote-session.js";
import type { ProxyCredentials, ProxyWords, RemoteCache } from "../proxy/types.js";
import { PACKAGE_NAME, VERSION } from "../version.js";
import { InFlightRequests } from "./in-flight.js";
import { releaseMemoryWhenIdle } from "./idle-memory.js";
import { shutDownStdio } from "./stdio-shutdown.js";
import { StdioTransport } from "./stdio-transport.js";

/**
 * The proxy as a running stdio MCP server: connects to the remote at once, serves the client on
 * stdin/stdout, and on stdin's end (or stop(), which the caller wires to SIGTERM/SIGINT) stops
 * reading, answers every call in flight (each within its deadline), and ends the remote session.
 * A remote that is down never ends it.
 */

export interface ProxyOptions {
  /** The remote MCP endpoint URL. */
  endpoint: string;
  /** The headers for the remote; `refresh` asks to read the token store again (after a refusal). */
  credentials(options?: { refresh?: boolean }): Promise<ProxyCredentials>;
  timeoutMs: number;
  logger: Logger;
  words: ProxyWords;
  cache?: RemoteCache;
  allowHttp?: boolean;
  caFile?: string;
  maxConnections?: number;
  /** Cap of one answer (one SSE event). Default 4 MiB. */
  maxResponseBytes?: number;
  /** The longest line read from stdin (--max-message-bytes). Default 4 MiB. */
  maxMessageBytes?: number;
  /** Default 2000. */
  initializeWaitMs?: number;
  /** Default 3000. */
  listWaitMs?: number;
  /** Bound of opening one session (connect, initialize). Default 10000. */
  handshakeTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  statusExtras?(): Promise<Record<string, unknown>>;
}

export interface ProxyIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

export interface RunningProxy {
  /** Resolves once stopped: every call answered, stdout flushed, the remote session ended. */
  readonly done: Promise<void>;
  /** Stops as stdin's end does (idempotent). */
  stop(reason: string): Promise<void>;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export function startProxy(io: ProxyIo, options: ProxyOptions): RunningProxy {
  const { logger } = options;
  const http = createRemoteHttp({
    endpoint: options.endpoint,
    allowHttp: options.allowHttp ?? false,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    logger,
    ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
  });
  let credentials: ProxyCredentials | undefined;
  const secrets = new SecretRedactor();
  const readCredentials = async (refresh: boolean): Promise<ProxyCredentials> => {
    const next = await options.credentials({ refresh });
    for (const value of Object.values(next.secret)) {
      // "Bearer abc" also leaks as "abc".
      for (const secret of [value, value.slice(value.lastIndexOf(" ") + 1)]) {
        logger.addSecret(secret);
        secrets.add(secret);
      }
    }
    credentials = next;
    return next;
  };
  const tokenSent = () => Object.keys(credentials?.secret ?? {}).length > 0;

  let server: ProxyServer | undefined;
  const link = new RemoteLink({
    endpoint: http.endpoint,
    logger,
    tokenSent,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    async open(signal) {
      const current = await readCredentials(false);
      return RemoteSession.open({
        http,
        headers: { ...current.plain, ...current.secret },
        tokenSent: tokenSent(),
        clientInfo: { name: PACKAGE_NAME, version: VERSION },
        timeoutMs: options.handshakeTimeoutMs ?? 10_000,
        logger,
        signal,
      });
    },
    onSession: (session) => server?.sessionUp(session),
    onNotification: (notification) => server?.remoteNotification(notification),
  });
  server = new ProxyServer({
    link,
    endpoint: http.endpoint,
    words: options.words,
    logger,
    timeoutMs: options.timeoutMs,
    initializeWaitMs: options.initializeWaitMs ?? 2000,
    listWaitMs: options.listWaitMs ?? 3000,
    tokenSent,
    redact: (text) => redactText(text, secrets),
    async refreshCredentials() {
      const before = JSON.stringify(credentials);
      return JSON.stringify(await readCredentials(true)) !== before;
    },
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.statusExtras === undefined ? {} : { statusExtras: options.statusExtras }),
  });
  link.start();

  const transport = new StdioTransport(io.stdin, io.stdout, { maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_RESPONSE_BYTES, logger });
  let stopReleasingMemory: (() => void) | undefined;
  const connected = server.connect(transport).then(() => {
    const inFlight = new InFlightRequests(transport);
    stopReleasingMemory = releaseMemoryWhenIdle(transport, { inFlight });
    return inFlight;
  });

  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, canDeliver = true): Promise<void> => {
    stopping ??= (async () => {
      const inFlight = await connected;
      stopReleasingMemory?.();
      logger.debug("stopping", { reason, inFlight: inFlight.size });
      await shutDownStdio(
        {
          stdin: io.stdin,
          stdout: io.stdout,
          inFlight,
          drained: () => transport.drained(),
          timeoutMs: options.timeoutMs,
          logger,
          async release() {
            await link.close();
            await server.close().catch(() => undefined);
            await http.close().catch(() => undefined);
          },
        },
        canDeliver,
      );
      resolveDone();
    })();
    return stopping;
  };
  // After the transport has handled the last line, so a request on it is counted as in flight.
  transport.onInputEnd = () => void stop("stdin ended");
  io.stdout.on("error", (error) => {
    // The client is gone (EPIPE): nothing more can be delivered.
    logger.debug("stdout closed", { error: String(error) });
    void stop("stdout closed", false);
  });
  return { done, stop };
}
