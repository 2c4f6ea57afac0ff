/**
 * Backend detection against real HTTP servers on 127.0.0.1 (port 0): the mcp-memory-service
 * fixture and small stubs of the others, through the probe fetch the bridge uses (undici, verified TLS).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectBackend, type DetectOptions } from "../../src/discovery/detect.js";
import type { Detection } from "../../src/discovery/types.js";
import { createProbeFetch } from "../../src/http/probe-fetch.js";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { startMcpAuthStub, startMem0Stub, startPlainWebStub, startStub, type StubServer } from "../fixtures/stub-servers.js";

let withAuth: MemoryServiceFixture;
let noAuth: MemoryServiceFixture;
const stubs: StubServer[] = [];

beforeAll(async () => {
  withAuth = await createMemoryServiceFixture();
  noAuth = await createMemoryServiceFixture({ token: null });
});

afterAll(async () => {
  await Promise.all([withAuth.close(), noAuth.close(), ...stubs.map((s) => s.close())]);
});

async function stub(start: Promise<StubServer>): Promise<StubServer> {
  const s = await start;
  stubs.push(s);
  return s;
}

function detect(url: string, options: Partial<DetectOptions> = {}): Promise<Detection> {
  return detectBackend(url, { fetch: createProbeFetch({}), ...options });
}

function expectFound(d: Detection) {
  if (d.status !== "found") throw new Error(`expected found, got ${JSON.stringify(d)}`);
  return d;
}

describe("detectBackend against the mcp-memory-service fixture", () => {
  it("finds it at its /api base; auth as probed is required", async () => {
    const d = expectFound(await detect(withAuth.url));
    expect(d).toMatchObject({ backend: "mcp-memory-service", endpoint: withAuth.url, evidence: "health", authRequired: true, version: "10.59.0" });
    expect(d.correction).toBeUndefined();
  });

  it("offers the /api correction for the server root", async () => {
    const d = expectFound(await detect(withAuth.origin));
    expect(d.correction).toEqual({ from: withAuth.origin, to: withAuth.url });
  });

  it("says auth is not required when the server has none", async () => {
    expect(expectFound(await detect(noAuth.url)).authRequired).toBe(false);
  });

  it("sends no credentials and only GETs", async () => {
    withAuth.clearRequests();
    await detect(withAuth.origin);
    expect(withAuth.requests.length).toBeGreaterThan(0);
    for (const r of withAuth.requests) {
      expect(r.method).toBe("GET");
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers["x-api-key"]).toBeUndefined();
      expect(r.query.api_key).toBeUndefined();
    }
  });
});

describe("detectBackend against other servers", () => {
  it("finds mem0 by its openapi title; its reads need auth", async () => {
    const mem0 = await stub(startMem0Stub());
    const d = expectFound(await detect(mem0.origin));
    expect(d).toMatchObject({ backend: "mem0", endpoint: mem0.origin, evidence: "openapi", version: "1.0.0", authRequired: true });
  });

  it("calls a plain web server not a memory server", async () => {
    const web = await stub(startPlainWebStub());
    const d = await detect(web.origin);
    expect(d.status).toBe("not-memory-server");
    expect(d.status === "not-memory-server" && d.probes.map((p) => p.status)).toEqual([404, 404, 404]);
  });

  it("recognises an MCP endpoint that answers 401 with WWW-Authenticate", async () => {
    const mcp = await stub(startMcpAuthStub());
    const d = expectFound(await detect(`${mcp.origin}/mcp/`));
    expect(d).toMatchObject({ backend: "mcp", evidence: "mcp-401", authRequired: true, endpoint: `${mcp.origin}/mcp` });
    expect(mcp.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /mcp/"]);
  });

  it("reads at most the body cap of an endless openapi.json and still finds the title", async () => {
    const endless = await stub(
      startStub((req, res) => {
        if (req.url !== "/openapi.json") return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"openapi":"3.1.0","info":{"title":"MCP Memory Service","version":"11.2.0"},"paths":{"/a":"');
        const chunk = "x".repeat(16 * 1024);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      }),
    );
    const d = expectFound(await detect(`${endless.origin}/v2`, { maxBodyBytes: 32 * 1024 }));
    expect(d).toMatchObject({ backend: "mcp-memory-service", endpoint: `${endless.origin}/api`, version: "11.2.0" });
  });

  it("reports a closed port as unreachable", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await detect(`http://127.0.0.1:${port}/api`)).toMatchObject({ status: "unreachable", error: "ECONNREFUSED" });
  });

  it("gives up on a server that accepts and never answers, within its timeout", async () => {
    const silent = await stub(startStub(() => undefined));
    expect(await detect(`${silent.origin}/api`, { timeoutMs: 200 })).toMatchObject({ status: "unreachable", error: "timeout" });
  });
});

describe("detectBackend over TLS", () => {
  it("does not accept a certificate it cannot verify", async () => {
    const dir = mkdtempSync(join(tmpdir(), "discovery-tls-"));
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"),
        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
      const server = createHttpsServer({ key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"healthy"}');
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const d = await detect(`https://127.0.0.1:${(server.address() as AddressInfo).port}/api`);
        expect(d).toMatchObject({ status: "unreachable", error: "DEPTH_ZERO_SELF_SIGNED_CERT" });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
