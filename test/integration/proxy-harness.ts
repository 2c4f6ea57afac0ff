import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach } from "vitest";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { createLogger } from "../../src/log.js";
import { proxyWordsFor } from "../../src/mcp/proxy-messages.js";
import { authHeadersFor, type ProxyAuthScheme } from "../../src/proxy/auth-headers.js";
import { discoveryCachePath } from "../../src/discovery/cache-file.js";
import { fileRemoteCache } from "../../src/proxy/file-cache.js";
import { startProxy, type ProxyOptions, type RunningProxy } from "../../src/mcp/proxy-stdio.js";
import { startMem0McpFixture, type Mem0McpFixture, type Mem0McpFixtureOptions } from "../fixtures/mem0-mcp/index.js";

/** An SDK client transport over a pair of in-memory pipes: what a client spawning the bridge sees on its stdio. */
export class PipeClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Every line the proxy wrote to its stdout. */
  readonly stdoutLines: string[] = [];
  private readonly buffer = new ReadBuffer();

  constructor(
    readonly toProxy: PassThrough,
    readonly fromProxy: PassThrough,
  ) {}

  async start(): Promise<void> {
    this.fromProxy.on("data", (chunk: Buffer) => {
      this.stdoutLines.push(...chunk.toString("utf8").split("\n").filter((line) => line !== ""));
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message !== null; message = this.buffer.readMessage()) this.onmessage?.(message);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.toProxy.write(serializeMessage(message));
  }

  /** The client closes the bridge's stdin (as Claude Desktop does when it quits). */
  endStdin(): void {
    this.toProxy.end();
  }

  async close(): Promise<void> {
    this.endStdin();
    this.onclose?.();
  }
}

export interface ProxyUnderTest {
  client: Client;
  transport: PipeClientTransport;
  proxy: RunningProxy;
  /** Every log line (debug level). */
  logs: string[];
  cacheFile: string;
  /** Ends stdin and waits for the proxy to finish. */
  stop(): Promise<void>;
}

export interface ProxyTestOptions extends Partial<Omit<ProxyOptions, "credentials" | "logger" | "words">> {
  endpoint: string;
  token?: string;
  scheme?: ProxyAuthScheme;
  userId?: string;
  headers?: Record<string, string>;
  /** The discovery cache file; default: a new one in a temporary directory. */
  cacheFile?: string;
  /** Whether the client connects (initialize) right away. Default true. */
  connect?: boolean;
  /** The credentials to use when the proxy asks again (after a refusal). */
  refreshedToken?: () => string | undefined;
}

export function tempCacheFile(): string {
  return discoveryCachePath(mkdtempSync(join(tmpdir(), "proxy-cache-")));
}

export async function startProxyUnderTest(options: ProxyTestOptions): Promise<ProxyUnderTest> {
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", write: (line) => logs.push(line) });
  const cacheFile = options.cacheFile ?? tempCacheFile();
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let token = options.token;
  const proxy = startProxy(
    { stdin, stdout },
    {
      timeoutMs: 5000,
      backoff: { baseMs: 20, capMs: 200, attempts: 50 },
      ...options,
      logger,
      words: proxyWordsFor("npx mcp-memory-bridge"),
      cache: options.cache ?? fileRemoteCache(cacheFile, options.endpoint, logger),
      async credentials({ refresh } = {}) {
        if (refresh && options.refreshedToken) token = options.refreshedToken();
        const auth = token === undefined ? { secret: {}, plain: {} } : authHeadersFor(options.scheme ?? "x-mcp-token", token, options.userId ?? "alice");
        return { secret: auth.secret, plain: { ...auth.plain, ...options.headers } };
      },
    },
  );
  const transport = new PipeClientTransport(stdin, stdout);
  const client = new Client({ name: "proxy-test", version: "1.0.0" });
  if (options.connect ?? true) await client.connect(transport);
  return {
    client,
    transport,
    proxy,
    logs,
    cacheFile,
    async stop() {
      transport.endStdin();
      await proxy.done;
    },
  };
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("\n");
}

/**
 * Fixtures and proxies for one test file: the fixture knows `token` (owned by alice), each proxy
 * sends it unless told otherwise, and everything is closed after each test.
 */
export function proxyScenario(token: string) {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close().catch(() => undefined);
  });
  return {
    async fixture(options: Mem0McpFixtureOptions = {}): Promise<Mem0McpFixture> {
      const fx = await startMem0McpFixture({ tokens: { [token]: { userId: "alice" } }, ...options });
      cleanup.push(() => fx.close());
      return fx;
    },
    async proxy(options: ProxyTestOptions): Promise<ProxyUnderTest> {
      const p = await startProxyUnderTest({ token, ...options });
      cleanup.push(() => p.stop());
      return p;
    },
    /** Closed after the test, before the fixtures opened earlier. */
    closeLater(close: () => Promise<void>): void {
      cleanup.push(close);
    },
  };
}
