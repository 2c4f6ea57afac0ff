import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient } from "../../src/http/client.js";
import { DeadlineError, ResponseTooLargeError, ServerError, UnsafePathError } from "../../src/http/errors.js";
import { explain } from "../../src/mcp/error-words.js";
import type { HttpClient, HttpClientOptions, HttpRequest } from "../../src/http/types.js";
import { closeAll, inMs, rejection } from "./http-test-helpers.js";
import { WORDS } from "../helpers/words.js";

// The HTTP layer's bounds: response size, error bodies, connections per origin, and paths.

const KiB = 1024;
const servers: Server[] = [];
const clients: HttpClient[] = [];

afterEach(() => closeAll(servers, clients));

interface Fixture {
  origin: string;
  paths: string[];
  /** Body bytes the handler managed to write (before the client hung up). */
  written: { bytes: number };
  maxSockets: { value: number };
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, fx: Fixture) => unknown): Promise<Fixture> {
  const fx: Fixture = { origin: "", paths: [], written: { bytes: 0 }, maxSockets: { value: 0 } };
  let open = 0;
  const server = createServer((req, res) => {
    fx.paths.push(req.url ?? "");
    req.resume();
    req.on("end", () => void handler(req, res, fx));
  });
  server.on("connection", (socket: Socket) => {
    open++;
    fx.maxSockets.value = Math.max(fx.maxSockets.value, open);
    socket.on("close", () => open--);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fx.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fx;
}

/** Writes `total` bytes of `{"pad":"xxx…"}` in 16 KiB pieces, with backpressure, until done or the client is gone. */
async function stream(res: ServerResponse, fx: Fixture, total: number, status = 200, length = false): Promise<void> {
  res.writeHead(status, { "content-type": "application/json", ...(length && { "content-length": String(total) }) });
  const piece = Buffer.alloc(16 * KiB, "x");
  res.write('{"pad":"');
  for (let left = total - 10; left > 0 && !res.destroyed; left -= piece.length) {
    const ok = res.write(left >= piece.length ? piece : piece.subarray(0, left));
    fx.written.bytes += Math.min(left, piece.length);
    if (!ok) await new Promise((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
  }
  if (!res.destroyed) res.end('"}');
}

function client(options: Partial<HttpClientOptions> & { endpoint: string }): HttpClient {
  const c = createHttpClient({ random: () => 0.5, ...options });
  clients.push(c);
  return c;
}

const get = (path: string): HttpRequest => ({ method: "GET", path, retry: "idempotent" });

describe("response size cap", () => {
  it("a chunked body past the cap: the request is aborted there, with a sentence naming the cap and the setting", async () => {
    const fx = await serve((_req, res, f) => stream(res, f, 40 * 1024 * KiB));
    const c = client({ endpoint: fx.origin, maxResponseBytes: 256 * KiB });
    const error = await rejection(c.request(get("/memories"), inMs(10_000)));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(explain(error, WORDS)).toBe(
      `The memory server at ${fx.origin} sent a response larger than the 262144-byte (256 KiB) limit (--max-response-bytes, MEMORY_BRIDGE_MAX_RESPONSE_BYTES), so it was cut off; ask for fewer or smaller results (a lower limit or page_size), or raise the limit if the server is trusted.`,
    );
    expect(fx.paths).toHaveLength(1); // not retried
    // The rest was never sent: only what the sockets' kernel buffers took before the hang-up.
    expect(fx.written.bytes).toBeLessThan(16 * 1024 * KiB);
  });

  it("a declared Content-Length past the cap is refused before the body is read", async () => {
    const fx = await serve((_req, res, f) => stream(res, f, 40 * 1024 * KiB, 200, true));
    const c = client({ endpoint: fx.origin, maxResponseBytes: 256 * KiB });
    expect(await rejection(c.request(get("/memories"), inMs(10_000)))).toBeInstanceOf(ResponseTooLargeError);
    expect(fx.written.bytes).toBeLessThan(16 * 1024 * KiB);
  });

  it("a body exactly at the cap is read", async () => {
    const fx = await serve((_req, res, f) => stream(res, f, 256 * KiB));
    const c = client({ endpoint: fx.origin, maxResponseBytes: 256 * KiB });
    const res = await c.request(get("/memories"), inMs(10_000));
    expect((res.body as { pad: string }).pad).toHaveLength(256 * KiB - 10);
  });

  it("several large bodies at once each get their whole answer (one grows at a time)", async () => {
    const fx = await serve((_req, res, f) => stream(res, f, 3 * 1024 * KiB));
    const c = client({ endpoint: fx.origin });
    const results = await Promise.all(Array.from({ length: 6 }, () => c.request(get("/memories"), inMs(20_000))));
    for (const res of results) expect((res.body as { pad: string }).pad).toHaveLength(3 * 1024 * KiB - 10);
  });

  it("a large body waiting its turn past the deadline fails with the deadline", async () => {
    const fx = await serve(async (req, res, f) => {
      if (req.url === "/slow") {
        // Past the free megabyte, then stall: this body holds the permit.
        res.writeHead(200, { "content-type": "application/json" });
        res.write(`{"pad":"${"x".repeat(2 * 1024 * KiB)}`);
        return;
      }
      await stream(res, f, 3 * 1024 * KiB);
    });
    const c = client({ endpoint: fx.origin });
    const holder = c.request(get("/slow"), inMs(3_000)).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rejection(c.request(get("/big"), inMs(800)))).toBeInstanceOf(DeadlineError);
    expect(await holder).toBeInstanceOf(DeadlineError);
  });

  it("an error body is read only as far as it is quoted", async () => {
    const fx = await serve((_req, res, f) => stream(res, f, 40 * 1024 * KiB, 500));
    const c = client({ endpoint: fx.origin, maxAttempts: 1 });
    const error = await rejection(c.request(get("/memories"), inMs(10_000)));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message.length).toBeLessThan(400);
    expect(fx.written.bytes).toBeLessThan(16 * 1024 * KiB);
  });
});

describe("connections per origin", () => {
  it("at most maxConnections sockets; the other requests queue and all complete", async () => {
    const fx = await serve((_req, res) => setTimeout(() => res.end("{}"), 20));
    const c = client({ endpoint: fx.origin, maxConnections: 3 });
    const results = await Promise.all(Array.from({ length: 60 }, () => c.request(get("/health"), inMs(10_000))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(fx.maxSockets.value).toBeLessThanOrEqual(3);
  });

  it("a request queued behind busy connections still ends at its deadline", async () => {
    const fx = await serve((req, res) => setTimeout(() => res.end("{}"), req.url === "/hold" ? 2_000 : 1));
    const c = client({ endpoint: fx.origin, maxConnections: 1 });
    const held = c.request(get("/hold"), inMs(5_000));
    expect(await rejection(c.request(get("/queued"), inMs(300)))).toBeInstanceOf(DeadlineError);
    await held;
    expect(fx.paths).toEqual(["/hold"]);
  });
});

describe("paths", () => {
  it.each(["/memories/.", "/memories/..", "/memories/%2e%2E", "/memories/a%2F..%2Fb"])("%s is refused and nothing is sent", async (path) => {
    const fx = await serve((_req, res) => res.end("{}"));
    const c = client({ endpoint: `${fx.origin}/api` });
    expect(await rejection(c.request(get(path), inMs(5_000)))).toBeInstanceOf(UnsafePathError);
    expect(fx.paths).toEqual([]);
  });
});
