import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InsecureEndpointError } from "../../src/http/errors.js";
import { createLogger } from "../../src/log.js";
import { authHeadersFor } from "../../src/proxy/auth-headers.js";
import { checkRemoteToken, detectRemoteMcp } from "../../src/proxy/probe-remote.js";
import { createRemoteHttp } from "../../src/proxy/remote-fetch.js";
import { startBearerMcpServer } from "../fixtures/bearer-mcp-server.js";
import { makeSelfSignedCert } from "../fixtures/self-signed-cert.js";
import { needs } from "../prerequisites/prerequisites.js";
import { startStub } from "../fixtures/stub-servers.js";
import { proxyScenario, textOf } from "./proxy-harness.js";

const TOKEN = "mcp_" + "Pr0be".repeat(8) + "abc";
const { fixture, proxy, closeLater } = proxyScenario(TOKEN);
const logs: string[] = [];
const logger = createLogger({ level: "debug", write: (line) => logs.push(line) });
const credentials = (token: string, user = "alice") => {
  const auth = authHeadersFor("x-mcp-token", token, user);
  return { secret: auth.secret, plain: auth.plain };
};

/** A Streamable HTTP server that is not the Mem0 MCP server, closed after the test. */
async function otherMcpServer(token?: string): Promise<string> {
  const server = await startBearerMcpServer(token);
  closeLater(() => server.close());
  return server.url;
}

describe("what answers at a remote MCP endpoint", () => {
  it("recognises the Mem0 MCP server by its tools, without credentials: x-mcp-token by default", async () => {
    const fx = await fixture();
    const found = await detectRemoteMcp({ endpoint: fx.url, logger });
    expect(found).toMatchObject({ status: "found", serverKind: "mem0-mcp", defaultScheme: "x-mcp-token", authRequired: true, tools: 13, transport: "streamable-http" });
    expect(fx.requests.every((r) => r.headers["x-mcp-token"] === undefined)).toBe(true);
    expect(fx.requests.some((r) => r.method === "DELETE")).toBe(true);
  });

  it("takes another MCP server for a bearer one, and one that refuses initialize with 401 for one that needs a token", async () => {
    expect(await detectRemoteMcp({ endpoint: await otherMcpServer(), logger })).toMatchObject({ status: "found", serverKind: "mcp", defaultScheme: "bearer", tools: 1 });
    expect(await detectRemoteMcp({ endpoint: await otherMcpServer("k-123456789"), logger })).toEqual({ status: "found", serverKind: "mcp", defaultScheme: "bearer", authRequired: true });
  });

  it("says why when nothing answers", async () => {
    const fx = await fixture();
    await fx.down();
    expect(await detectRemoteMcp({ endpoint: fx.url, logger })).toMatchObject({ status: "failed", fact: { code: "unavailable", cause: "ECONNREFUSED" } });
  });
});

describe("checking a token", () => {
  it("accepts the Mem0 MCP server's token with its cheapest read-only call, and ends the session", async () => {
    const fx = await fixture();
    const check = await checkRemoteToken({ endpoint: fx.url, logger, credentials: credentials(TOKEN) });
    expect(check).toMatchObject({ status: "accepted", serverKind: "mem0-mcp", checkedWith: "tool-call", tools: 13 });
    expect(fx.toolRuns.map((r) => r.name)).toEqual(["get_memory_history"]);
    expect(fx.requests.at(-1)?.method).toBe("DELETE");
  });

  it("takes its ❌ Authentication failed text as a rejection, with the reason", async () => {
    const fx = await fixture();
    const wrong = await checkRemoteToken({ endpoint: fx.url, logger, credentials: credentials("mcp_" + "z".repeat(43)) });
    expect(wrong).toMatchObject({ status: "rejected", fact: { code: "auth-rejected", reason: expect.stringMatching(/^Invalid authentication token/), tokenSent: true } });
    const mismatch = await checkRemoteToken({ endpoint: fx.url, logger, credentials: credentials(TOKEN, "bob") });
    expect(mismatch).toMatchObject({ status: "rejected", fact: { reason: expect.stringContaining("This token belongs to 'alice'") } });
    expect(fx.toolRuns).toHaveLength(0);
  });

  it("takes a 401 on initialize as a rejection, and a session opened with the token as acceptance elsewhere", async () => {
    const guarded = await startStub((_req, res) => {
      res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "application/json" }).end('{"detail":{"error":"invalid_token"}}');
    });
    closeLater(() => guarded.close());
    const bearer = { secret: authHeadersFor("bearer", "k-123456789", "u").secret, plain: {} };
    expect(await checkRemoteToken({ endpoint: `${guarded.origin}/mcp`, logger, credentials: bearer })).toMatchObject({
      status: "rejected",
      fact: { code: "auth-rejected", status: 401, tokenSent: true },
    });
    expect(guarded.requests[0]?.headers["authorization"]).toBe("Bearer k-123456789");
    expect(await checkRemoteToken({ endpoint: await otherMcpServer(), logger, credentials: bearer })).toMatchObject({ status: "accepted", checkedWith: "initialize" });
    expect(logs.join("\n")).not.toContain("k-123456789");
    expect(logs.join("\n")).not.toContain(TOKEN);
  });
});

describe("transport policy", () => {
  it("refuses plain http to a host that is not loopback unless allowed", () => {
    expect(() => createRemoteHttp({ endpoint: "http://mem.example.com:8080/mcp/", allowHttp: false, maxResponseBytes: 1024 })).toThrow(InsecureEndpointError);
    const allowed = createRemoteHttp({ endpoint: "http://mem.example.com:8080/mcp/", allowHttp: true, maxResponseBytes: 1024 });
    expect(allowed.endpoint).toBe("http://mem.example.com:8080/mcp");
    void allowed.close();
  });

  it("verifies TLS: a self-signed server is refused unless its certificate is given as the CA file", async (ctx) => {
    needs(ctx, "openssl");
    const { certFile, keyFile } = makeSelfSignedCert(mkdtempSync(join(tmpdir(), "proxy-tls-")));
    const fx = await fixture({ tls: { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") } });
    const untrusted = await proxy({ endpoint: fx.url });
    const refused = await untrusted.client.callTool({ name: "get_memory_history", arguments: { memory_id: "t" } });
    expect(textOf(refused)).toContain("is not reachable (DEPTH_ZERO_SELF_SIGNED_CERT); nothing was sent");
    expect(fx.requests).toHaveLength(0);
    const trusted = await proxy({ endpoint: fx.url, caFile: certFile });
    expect(textOf(await trusted.client.callTool({ name: "get_memory_history", arguments: { memory_id: "t" } }))).toBe("[]");
  });
});
