import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/client.js";
import {
  AuthError,
  CancelledError,
  DeadlineError,
  InsecureEndpointError,
  RateLimitedError,
  RedirectError,
  ResponseFormatError,
  ServerError,
  UnreachableError,
} from "../../src/http/errors.js";
import { abortableSleep } from "../../src/http/sleep.js";
import { explain } from "../../src/mcp/error-words.js";
import type { HttpClient, HttpClientOptions, HttpRequest } from "../../src/http/types.js";
import type { LogLevel } from "../../src/core/unions.js";
import type { Logger } from "../../src/log.js";
import { closeAll, inMs, rejection } from "./http-test-helpers.js";
import { WORDS } from "../helpers/words.js";

const TOKEN = "s3cret-token-123456";
const AUTH = { header: "Authorization", value: `Bearer ${TOKEN}` };

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  remotePort: number;
}

interface Fixture {
  origin: string;
  port: number;
  seen: Seen[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, index: number) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];

afterEach(() => closeAll(servers, clients));

async function serve(handler: Handler): Promise<Fixture> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        remotePort: req.socket.remotePort ?? 0,
      };
      seen.push(entry);
      handler(req, res, entry, seen.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A sleep that records the requested delays and returns at once, so retry tests take no time. */
function instantSleep(delays: number[]) {
  return async (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    signal?.throwIfAborted();
  };
}

function client(options: Partial<HttpClientOptions> & { endpoint: string }): HttpClient {
  const c = createHttpClient({ auth: AUTH, random: () => 0.5, ...options });
  clients.push(c);
  return c;
}

const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: "GET", path, retry: "idempotent", ...extra });

function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return {
    level: "debug",
    lines,
    error: write("error"),
    warn: write("warn"),
    info: write("info"),
    debug: write("debug"),
    addSecret: () => undefined,
  };
}

describe("requests", () => {
  it("reuses one keep-alive connection for sequential requests", async () => {
    const fx = await serve((_req, res) => json(res, 200, { status: "healthy" }));
    const c = client({ endpoint: `${fx.origin}/api` });
    for (let i = 0; i < 3; i++) {
      const res = await c.request(get("/health"), inMs(5000));
      expect(res).toMatchObject({ status: 200, body: { status: "healthy" }, attempts: 1 });
      // Tool calls arrive over stdio, so there is always at least one event-loop turn between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(fx.seen).toHaveLength(3);
    expect(new Set(fx.seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it("keeps back-to-back requests on at most two connections", async () => {
    // undici waits one event-loop turn before reusing a socket (pipelining 1), so a request sent in
    // the same turn as the previous response opens a second connection; both are then reused.
    const fx = await serve((_req, res) => json(res, 200, {}));
    const c = client({ endpoint: fx.origin });
    for (let i = 0; i < 10; i++) await c.request(get("/health"), inMs(5000));
    expect(new Set(fx.seen.map((s) => s.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it("sends JSON with content-type, accept, user-agent, query and the auth header", async () => {
    const fx = await serve((_req, res) => json(res, 200, { success: true }));
    const c = client({ endpoint: `${fx.origin}/api/` });
    expect(c.endpoint).toBe(`${fx.origin}/api`);
    await c.request(
      {
        method: "POST",
        path: "/memories",
        query: { tag: "a,b", page: 2, all: true, skip: undefined },
        body: { content: "héllo", tags: ["x"] },
        retry: "unsent-only",
      },
      inMs(5000),
    );
    const [s] = fx.seen;
    expect(s?.method).toBe("POST");
    expect(s?.url).toBe("/api/memories?tag=a%2Cb&page=2&all=true");
    expect(JSON.parse(s?.body ?? "")).toEqual({ content: "héllo", tags: ["x"] });
    expect(s?.headers["content-type"]).toBe("application/json");
    expect(s?.headers["accept"]).toBe("application/json");
    expect(s?.headers["user-agent"]).toMatch(/^mcp-memory-bridge/);
    expect(s?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });

  it("leaves the auth header off when the request says auth: false", async () => {
    const fx = await serve((_req, res) => json(res, 200, {}));
    const c = client({ endpoint: fx.origin, auth: { header: "X-API-Key", value: TOKEN } });
    await c.request(get("/health", { auth: false }), inMs(5000));
    await c.request(get("/memories"), inMs(5000));
    expect(fx.seen[0]?.headers["x-api-key"]).toBeUndefined();
    expect(fx.seen[1]?.headers["x-api-key"]).toBe(TOKEN);
  });

  it("returns empty bodies as undefined and 4xx bodies as JSON or raw text", async () => {
    const fx = await serve((req, res) => {
      if (req.url === "/empty") return res.writeHead(204).end();
      if (req.url === "/missing") return json(res, 404, { detail: "Memory not found" });
      res.writeHead(400, { "content-type": "text/plain" }).end("bad tags");
    });
    const c = client({ endpoint: fx.origin });
    expect(await c.request(get("/empty"), inMs(5000))).toMatchObject({ status: 204, body: undefined });
    expect(await c.request(get("/missing"), inMs(5000))).toMatchObject({ status: 404, body: { detail: "Memory not found" } });
    expect(await c.request(get("/bad"), inMs(5000))).toMatchObject({ status: 400, body: "bad tags", attempts: 1 });
  });

  it("never logs the token or header values", async () => {
    const fx = await serve((_req, res) => json(res, 503, { detail: "busy" }));
    const logger = captureLogger();
    const c = client({ endpoint: fx.origin, logger, sleep: instantSleep([]) });
    await rejection(c.request(get("/search", { query: { q: "private words" } }), inMs(5000)));
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.some((l) => l.includes('"path":"/search"'))).toBe(true);
    for (const line of logger.lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain("private words");
    }
  });
});

describe("retries", () => {
  it("retries 503 three times and then succeeds on the fourth attempt", async () => {
    const fx = await serve((_req, res, _s, i) => (i < 3 ? json(res, 503, { detail: "warming up" }) : json(res, 200, { ok: true })));
    const delays: number[] = [];
    const c = client({ endpoint: fx.origin, sleep: instantSleep(delays) });
    const res = await c.request(get("/memories"), inMs(10_000));
    expect(res).toMatchObject({ status: 200, body: { ok: true }, attempts: 4 });
    expect(delays).toEqual([50, 100, 200]); // random 0.5 × 100·2^(n-1)
  });

  it("gives up after four 502s with a ServerError", async () => {
    const fx = await serve((_req, res) => json(res, 502, { detail: "bad gateway" }));
    const c = client({ endpoint: fx.origin, sleep: instantSleep([]) });
    const err = await rejection(c.request(get("/memories"), inMs(10_000)));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 502, attempts: 4, detail: "bad gateway", maybeSent: true });
    expect(fx.seen).toHaveLength(4);
  });

  it("retries a 503 even for a store that must not be repeated, and not a 502", async () => {
    const fx = await serve((req, res, _s, i) => {
      if (req.url === "/refused") return i === 0 ? json(res, 503, {}) : json(res, 200, { id: 1 });
      json(res, 502, {});
    });
    const c = client({ endpoint: fx.origin, sleep: instantSleep([]) });
    const store = (path: string): HttpRequest => ({ method: "POST", path, body: { content: "x" }, retry: "unsent-only" });
    expect(await c.request(store("/refused"), inMs(5000))).toMatchObject({ status: 200, attempts: 2 });
    const err = await rejection(c.request(store("/gateway"), inMs(5000)));
    expect(err).toMatchObject({ name: "ServerError", status: 502, attempts: 1, maybeSent: true });
  });

  it("waits as long as Retry-After asks on a 429", async () => {
    const fx = await serve((_req, res, _s, i) => (i === 0 ? json(res, 429, {}, { "retry-after": "1" }) : json(res, 200, { ok: 1 })));
    const delays: number[] = [];
    const c = client({ endpoint: fx.origin, sleep: instantSleep(delays) });
    const res = await c.request(get("/memories"), inMs(10_000));
    expect(res.attempts).toBe(2);
    expect(delays).toEqual([1000]);
  });

  it("does not wait for a Retry-After beyond the deadline", async () => {
    const fx = await serve((_req, res) => json(res, 429, { detail: "slow down" }, { "retry-after": "60" }));
    const delays: number[] = [];
    const c = client({ endpoint: fx.origin, sleep: instantSleep(delays) });
    const started = Date.now();
    const err = await rejection(c.request(get("/memories"), inMs(2000)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ attempts: 1, retryAfterMs: 60_000, maybeSent: false });
    expect(delays).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("does not retry a 500 and carries the server's detail", async () => {
    const fx = await serve((_req, res) => json(res, 500, { detail: "Failed to store memory. Please try again." }));
    const c = client({ endpoint: fx.origin, sleep: instantSleep([]) });
    const err = await rejection(c.request(get("/memories"), inMs(5000)));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 500, detail: "Failed to store memory. Please try again.", attempts: 1 });
    expect(err.message).toContain("failed (500): Failed to store memory. Please try again.");
    expect(fx.seen).toHaveLength(1);
  });
});

describe("connection failures", () => {
  it("gives up on a refused connection after 4 attempts, within the deadline", async () => {
    const fx = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const c = client({ endpoint: fx.origin, random: Math.random });
    const started = Date.now();
    const err = await rejection(c.request(get("/health"), inMs(5000)));
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({ causeCode: "ECONNREFUSED", attempts: 4, maybeSent: false });
    expect(err.message).toContain("connection refused");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("retries a reset for an idempotent call", async () => {
    const fx = await serve((req, res, _s, i) => (i < 2 ? req.socket.destroy() : json(res, 200, { ok: true })));
    const c = client({ endpoint: fx.origin, sleep: instantSleep([]) });
    const res = await c.request(get("/memories/abc"), inMs(5000));
    expect(res).toMatchObject({ status: 200, attempts: 3 });
  });

  it("does not retry a reset for an unsent-only store and says it may have been sent", async () => {
    const fx = await serve((req) => req.socket.destroy());
    const c = client({ endpoint: fx.origin, sleep: instantSleep([]) });
    const err = await rejection(
      c.request({ method: "POST", path: "/memories", body: { content: "x" }, retry: "unsent-only" }, inMs(5000)),
    );
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({ attempts: 1, maybeSent: true });
    expect(fx.seen).toHaveLength(1);
  });

  it("ends a slow reply at the deadline", async () => {
    const fx = await serve(() => undefined); // never answers
    const c = client({ endpoint: fx.origin });
    const started = Date.now();
    const err = await rejection(c.request(get("/memories"), inMs(300)));
    expect(err).toBeInstanceOf(DeadlineError);
    expect(err).toMatchObject({ attempts: 1, maybeSent: true });
    expect((err as DeadlineError).timeoutMs).toBeGreaterThan(250);
    expect(Date.now() - started).toBeLessThan(300 + 1500);
  });

  it("fails at once when the deadline has already passed", async () => {
    const fx = await serve((_req, res) => json(res, 200, {}));
    const c = client({ endpoint: fx.origin });
    const err = await rejection(c.request(get("/memories"), { deadline: Date.now() - 1 }));
    expect(err).toMatchObject({ name: "DeadlineError", attempts: 0 });
    expect(fx.seen).toHaveLength(0);
  });
});

describe("cancellation", () => {
  it("aborts an in-flight request when the client cancels", async () => {
    const fx = await serve(() => undefined);
    const c = client({ endpoint: fx.origin });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const err = await rejection(c.request(get("/memories"), { deadline: Date.now() + 10_000, signal: ac.signal }));
    expect(err).toBeInstanceOf(CancelledError);
    expect(err).toMatchObject({ attempts: 1, maybeSent: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("aborts a backoff sleep, and nothing sent means maybeSent false", async () => {
    const fx = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const ac = new AbortController();
    const sleep = (ms: number, signal?: AbortSignal) => {
      ac.abort();
      return abortableSleep(ms, signal);
    };
    const c = client({ endpoint: fx.origin, sleep });
    const err = await rejection(
      c.request({ method: "POST", path: "/memories", body: {}, retry: "unsent-only" }, { deadline: Date.now() + 5000, signal: ac.signal }),
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect(err).toMatchObject({ attempts: 1, maybeSent: false });
  });

  it("does not send anything when already cancelled", async () => {
    const fx = await serve((_req, res) => json(res, 200, {}));
    const c = client({ endpoint: fx.origin });
    const err = await rejection(c.request(get("/memories"), { deadline: Date.now() + 5000, signal: AbortSignal.abort() }));
    expect(err).toMatchObject({ name: "CancelledError", attempts: 0 });
    expect(fx.seen).toHaveLength(0);
  });
});

describe("redirects", () => {
  it("follows a same-origin redirect and keeps the auth header", async () => {
    const fx = await serve((req, res) => {
      if (req.url === "/api/old") return res.writeHead(307, { location: "/api/new" }).end();
      json(res, 200, { here: true });
    });
    const c = client({ endpoint: `${fx.origin}/api` });
    const res = await c.request({ method: "POST", path: "/old", body: { a: 1 }, retry: "idempotent" }, inMs(5000));
    expect(res).toMatchObject({ status: 200, body: { here: true }, attempts: 1 });
    expect(fx.seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ["POST", "/api/old", '{"a":1}'],
      ["POST", "/api/new", '{"a":1}'],
    ]);
    expect(fx.seen.every((s) => s.headers["authorization"] === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("turns a 303 after POST into a GET without body", async () => {
    const fx = await serve((req, res) => {
      if (req.url === "/api/memories") return res.writeHead(303, { location: "/api/memories/1" }).end();
      json(res, 200, { id: 1 });
    });
    const c = client({ endpoint: `${fx.origin}/api` });
    await c.request({ method: "POST", path: "/memories", body: { a: 1 }, retry: "unsent-only" }, inMs(5000));
    expect(fx.seen[1]).toMatchObject({ method: "GET", url: "/api/memories/1", body: "" });
    expect(fx.seen[1]?.headers["content-type"]).toBeUndefined();
  });

  it("refuses a cross-origin redirect and never sends the token there", async () => {
    const other = await serve((_req, res) => json(res, 200, { stolen: true }));
    const fx = await serve((_req, res) => res.writeHead(302, { location: `${other.origin}/collect` }).end());
    const c = client({ endpoint: fx.origin });
    const err = await rejection(c.request(get("/memories"), inMs(5000)));
    expect(err).toBeInstanceOf(RedirectError);
    expect(err.message).toContain(other.origin);
    expect(other.seen).toHaveLength(0);
  });

  it("refuses more than 3 redirects", async () => {
    const fx = await serve((_req, res, _s, i) => res.writeHead(302, { location: `/hop${i + 1}` }).end());
    const c = client({ endpoint: fx.origin });
    const err = await rejection(c.request(get("/hop0"), inMs(5000)));
    expect(err).toBeInstanceOf(RedirectError);
    expect(err).toMatchObject({ problem: { kind: "too-many", limit: 3 } });
    expect(fx.seen).toHaveLength(4);
  });
});

describe("server answers that are errors", () => {
  it.each([
    [{ detail: { error: "authorization_required", error_description: "Authorization required" } }, "authorization_required"],
    [{ detail: { error: "invalid_token", error_description: "Token is invalid" } }, "invalid_token"],
  ])("401 %j → AuthError with its code, not retried", async (body, code) => {
    const fx = await serve((_req, res) =>
      json(res, 401, body, { "www-authenticate": 'Bearer resource_metadata="http://x/.well-known/oauth-protected-resource"' }),
    );
    const c = client({ endpoint: `${fx.origin}/api`, sleep: instantSleep([]) });
    const err = await rejection(c.request(get("/health/detailed"), inMs(5000)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ status: 401, serverCode: code, attempts: 1, maybeSent: false });
    expect(explain(err, WORDS)).toContain(`Run: npx mcp-memory-bridge login ${fx.origin}/api`);
    expect(err.message).not.toContain(TOKEN);
    expect(fx.seen).toHaveLength(1);
  });

  it("says no token was configured when none was sent", async () => {
    const fx = await serve((_req, res) => json(res, 401, { detail: "X-API-Key header is required." }));
    const c = client({ endpoint: fx.origin, auth: undefined });
    const err = await rejection(c.request(get("/memories"), inMs(5000)));
    expect(err.message).toMatch(/no token is configured/);
  });

  it("403 insufficient_scope → AuthError, and an echoed token is redacted", async () => {
    const fx = await serve((req, res) =>
      req.url === "/scope"
        ? json(res, 403, { detail: { error: "insufficient_scope", error_description: "write scope needed" } })
        : json(res, 401, { detail: `Invalid API key: ${TOKEN}` }),
    );
    const c = client({ endpoint: fx.origin });
    const scope = await rejection(c.request(get("/scope"), inMs(5000)));
    expect(scope).toMatchObject({ name: "AuthError", status: 403, serverCode: "insufficient_scope" });
    const echoed = await rejection(c.request(get("/echo"), inMs(5000)));
    expect(echoed.message).not.toContain(TOKEN);
    expect((echoed as AuthError).serverReason).toBe("Invalid API key: [redacted]");
  });

  it("a 2xx body that is not JSON → ResponseFormatError", async () => {
    const fx = await serve((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>docs</html>"));
    const c = client({ endpoint: fx.origin });
    const err = await rejection(c.request(get("/health"), inMs(5000)));
    expect(err).toBeInstanceOf(ResponseFormatError);
    expect(explain(err, WORDS)).toMatch(/not JSON \(text\/html\).*\/api/);
  });
});

describe("transport policy", () => {
  it("refuses plain http to a non-loopback host before connecting", () => {
    expect(() => createHttpClient({ endpoint: "http://10.0.0.1:8000/api" })).toThrow(InsecureEndpointError);
  });

  it("allows it with allowHttp (no connection is made by creating the client)", async () => {
    const c = createHttpClient({ endpoint: "http://10.0.0.1:8000/api", allowHttp: true });
    expect(c.endpoint).toBe("http://10.0.0.1:8000/api");
    await c.close();
  });
});
