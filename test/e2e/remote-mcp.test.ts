/**
 * serve --backend mcp end to end: the built CLI on stdio, in front of the Mem0 MCP fixture
 * (test/fixtures/mem0-mcp), driven by the SDK's client.
 */
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startMem0McpFixture, type Mem0McpFixture } from "../fixtures/mem0-mcp/index.js";
import { runInSecretService } from "../keychain/run-scenario.js";
import { needs } from "../prerequisites/prerequisites.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

const TOKEN = "mcp_" + "E2eRem".repeat(6) + "tok";
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close().catch(() => undefined);
});

async function fixture(): Promise<Mem0McpFixture> {
  const fx = await startMem0McpFixture({ tokens: { [TOKEN]: { userId: "alice" } } });
  cleanup.push(() => fx.close());
  return fx;
}

async function bridge(endpoint: string, options: { token?: string; args?: string[] } = {}): Promise<BridgeProcess> {
  const b = await startBridge({
    args: ["--endpoint", endpoint, "--backend", "mcp", "--auth-scheme", "x-mcp-token", "--user-id", "alice", "--log-level", "debug", ...(options.args ?? [])],
    env: { MEMORY_BRIDGE_TOKEN: options.token ?? TOKEN },
  });
  cleanup.push(() => b.transport.close());
  return b;
}

const history = (id: string) => ({ name: "get_memory_history", arguments: { memory_id: id } });

describe("serve --backend mcp", () => {
  it("lists the remote's tools plus memory_status and calls them through, with exactly the specified headers", async () => {
    const fx = await fixture();
    const b = await bridge(fx.url, { args: ["--header", "X-Team: blue", "--header", "X-Env: e2e"] });
    const names = (await b.client.listTools()).tools.map((t) => t.name);
    expect(names).toHaveLength(14);
    expect(names).toContain("add_coding_preference");
    expect(names).toContain("memory_status");
    const stored = await b.client.callTool({ name: "add_coding_preference", arguments: { text: "tabs, not spaces" } });
    expect(stored.isError).toBe(false);
    expect(textOf(stored)).toMatch(/^✅/);
    expect(fx.toolRuns.map((run) => run.name)).toContain("add_coding_preference");

    const posts = fx.requests.filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    for (const r of posts) {
      expect(r.headers).toMatchObject({ "x-mcp-token": TOKEN, "x-mcp-userid": "alice", "x-team": "blue", "x-env": "e2e" });
      expect(r.headers.authorization).toBeUndefined();
    }
    const status = await b.client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ backend: "mcp", session: true, auth: { source: "env", scheme: "x-mcp-token" }, endpoint_source: "flag" });

    await b.transport.close();
    expect(await b.transport.exited).toEqual({ code: 0, signal: null });
    // Debug level logs every exchange: the token is in none of it, nor in stdout.
    expect(b.transport.stderr).toContain("debug: mcp http");
    expect(b.transport.stderr).not.toContain(TOKEN);
    expect(b.transport.stdoutLines.join("\n")).not.toContain(TOKEN);
  });

  it("refuses a --header that would carry a credential, and serves the reason", async () => {
    const fx = await fixture();
    const b = await bridge(fx.url, { args: ["--header", "Authorization: Bearer x"] });
    const status = await b.client.callTool({ name: "memory_status", arguments: {} });
    expect(textOf(status)).toContain("The header Authorization is set by the bridge from the stored token: use --auth-scheme instead of --header.");
    expect(fx.requests).toHaveLength(0);
  });

  it("recovers an expired session transparently", async () => {
    const fx = await fixture();
    const b = await bridge(fx.url);
    expect(textOf(await b.client.callTool(history("a")))).toBe("[]");
    fx.expireSessions();
    const again = await b.client.callTool(history("b"));
    expect(again.isError).toBe(false);
    expect(textOf(again)).toBe("[]");
    expect(fx.requests.filter((r) => r.rpc.includes("initialize") && r.path === "/mcp/")).toHaveLength(2);
    // The server's /mcp → /mcp/ redirect is followed once, then remembered.
    expect(fx.requests.filter((r) => r.path === "/mcp")).toHaveLength(1);
  });

  it("starts while the remote is down, then announces its tools with list_changed once it is up", async () => {
    const fx = await fixture();
    await fx.down();
    const b = await bridge(fx.url);
    const changed = new Promise<void>((resolve) => b.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    expect((await b.client.listTools()).tools.map((t) => t.name)).toEqual(["memory_status"]);
    await fx.up();
    await changed;
    expect((await b.client.listTools()).tools).toHaveLength(14);
  });

  it("says to run login when the server rejects the token", async () => {
    const fx = await fixture();
    const b = await bridge(fx.url, { token: "mcp_" + "Wrong".repeat(6) });
    const result = await b.client.callTool(history("x"));
    expect(result.isError).toBe(true);
    // Named as this run was started (from this checkout: node bin/…), so the command runs as printed.
    expect(textOf(result)).toContain(`Run: node bin/mcp-memory-bridge.js login ${fx.url.replace(/\/$/, "")}`);
  });

  it("answers 50 calls in flight when stdin ends, and exits 0", async () => {
    const fx = await fixture();
    const b = await bridge(fx.url, { args: ["--max-connections", "64"] });
    await b.client.listTools();
    const release = fx.holdCalls();
    const calls = Array.from({ length: 50 }, (_, i) => b.client.callTool(history(`h${i}`)));
    await fx.runsStarted(50);
    b.transport.endStdin();
    release();
    const results = await Promise.all(calls);
    expect(results.map(textOf)).toEqual(Array.from({ length: 50 }, () => "[]"));
    expect(await b.transport.exited).toEqual({ code: 0, signal: null });
    for (const line of b.transport.stdoutLines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
  });
});

describe.runIf(process.platform === "linux")("login → serve for a remote MCP server, with a private Secret Service", () => {
  it("stores an accepted token only, and serve proxies with it from the keychain", { timeout: 90_000 }, async (ctx) => {
    needs(ctx, "secret-service");
    const { code, stderr, result } = await runInSecretService(resolve("test/keychain/remote-mcp-scenario.ts"), []);
    expect(code, stderr).toBe(0);
    const r = result!;
    const token = r.token as string;
    expect(r.rejected.code).toBe(1);
    expect(r.rejected.stderr).toContain("rejected the token (Invalid authentication token); the token was not stored.");
    expect(r.login.code, r.login.stderr).toBe(0);
    expect(r.login.stdout).toContain("the Mem0 MCP server");
    expect(r.login.stdout).toContain("OS keychain");
    expect(r.tools).toBe(14);
    expect(r.call.isError).toBe(false);
    expect(r.memoryStatus).toMatchObject({ backend: "mcp", session: true, auth: { source: "keychain", scheme: "x-mcp-token" }, endpoint_source: "profile" });
    expect(r.toolCallHeaders.length).toBeGreaterThan(0);
    expect(new Set(r.toolCallHeaders.map(JSON.stringify))).toEqual(new Set([JSON.stringify({ token, user: "alice", team: "blue" })]));
    expect(JSON.parse(r.status.stdout)).toMatchObject({ backend: "mcp", reachable: true, session: true, tools: 13, token_accepted: true, auth: { source: "keychain" } });
    for (const output of [r.rejected.stdout, r.rejected.stderr, r.login.stdout, r.login.stderr, r.serveStderr, r.status.stdout, r.status.stderr]) {
      expect(output).not.toContain(token);
    }
  });
});
