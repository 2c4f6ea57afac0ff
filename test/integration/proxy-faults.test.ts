import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { startBearerMcpServer } from "../fixtures/bearer-mcp-server.js";
import { proxyScenario, tempCacheFile, textOf } from "./proxy-harness.js";

const TOKEN = "mcp_" + "k9".repeat(21) + "Q";
const { fixture, proxy, closeLater } = proxyScenario(TOKEN);

const history = (id: string) => ({ name: "get_memory_history", arguments: { memory_id: id } });
const add = (text: string) => ({ name: "add_coding_preference", arguments: { text } });

describe("sessions", () => {
  it("re-initialises an expired session transparently and sends the refused call again", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    expect(textOf(await client.callTool(add("first")))).toMatch(/^✅/);
    fx.expireSessions();
    const second = await client.callTool(add("second"));
    expect(second.isError).toBe(false);
    expect(textOf(second)).toMatch(/^✅/);
    expect(fx.toolRuns.map((r) => r.args["text"])).toEqual(["first", "second"]);
    expect(fx.requests.filter((r) => r.rpc[0] === "initialize")).toHaveLength(2);
    const callStatuses = fx.requests.filter((r) => r.rpc[0] === "tools/call").length;
    expect(callStatuses).toBe(3); // "second" once refused with 404, once run
  });

  it("with calls in flight: those running finish, those refused with 404 are sent again on one new session, each runs once", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    await client.listTools();
    const release = fx.holdCalls();
    const running = [1, 2, 3].map((i) => client.callTool(add(`running ${i}`)));
    await fx.runsStarted(3);
    fx.expireSessions();
    const refused = [1, 2, 3, 4, 5].map((i) => client.callTool(add(`refused ${i}`)));
    await fx.runsStarted(8);
    release();
    const results = await Promise.all([...running, ...refused]);
    expect(results.every((r) => r.isError === false && textOf(r).startsWith("✅"))).toBe(true);
    expect(fx.toolRuns.map((r) => r.args["text"]).sort()).toEqual([
      "refused 1",
      "refused 2",
      "refused 3",
      "refused 4",
      "refused 5",
      "running 1",
      "running 2",
      "running 3",
    ]);
    expect(fx.requests.filter((r) => r.rpc[0] === "initialize")).toHaveLength(2);
  });

  it("reports a call whose answer stream broke after it was sent as one that may or may not have run", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    const release = fx.holdCalls();
    const call = client.callTool(add("maybe"));
    await fx.runsStarted(1);
    fx.breakCallStreams();
    const result = await call;
    release();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("may or may not have run");
    expect(textOf(await client.callTool(history("x")))).toBe("[]");
  });

  it("answers a call that outlives its deadline, and cancels it at the remote", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url, timeoutMs: 300 });
    await client.listTools();
    const release = fx.holdCalls();
    const result = await client.callTool(add("slow"));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("did not answer within 0.3 s: the call may or may not have run");
    await fx.runsCancelled(1);
    release();
    expect(fx.toolRuns[0]).toMatchObject({ cancelled: true, finished: false });
  });

  it("relays the client's cancellation and the server's progress", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    fx.setProgressSteps(3);
    // Progress while the tool still works (the SDK client handles a notification a microtask after
    // a response that arrives in the same chunk, so progress sent with the answer would be dropped by it).
    const working = fx.holdCalls();
    const progress: number[] = [];
    let threeSeen!: () => void;
    const seen = new Promise<void>((resolve) => (threeSeen = resolve));
    const onprogress = (p: { progress: number }) => {
      progress.push(p.progress);
      if (progress.length === 3) threeSeen();
    };
    const call = client.callTool(history("p"), undefined, { onprogress });
    await seen;
    working();
    expect(textOf(await call)).toBe("[]");
    expect(progress).toEqual([1, 2, 3]);

    fx.setProgressSteps(0);
    const release = fx.holdCalls();
    const abort = new AbortController();
    const never = client.callTool(add("never"), undefined, { signal: abort.signal });
    await fx.runsStarted(2);
    abort.abort();
    await expect(never).rejects.toThrow();
    await fx.runsCancelled(1);
    release();
    expect(fx.toolRuns[1]).toMatchObject({ name: "add_coding_preference", cancelled: true, finished: false });
  });
});

describe("a remote that is down, slow or refuses the token", () => {
  it("starts with memory_status alone while the remote is down, then announces the remote's tools once it is up", async () => {
    const fx = await fixture();
    await fx.down();
    const p = await proxy({ endpoint: fx.url, connect: false });
    const changed = new Promise<void>((resolve) => p.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    await p.client.connect(p.transport);
    expect(p.client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });
    expect((await p.client.listTools()).tools.map((t) => t.name)).toEqual(["memory_status"]);
    const down = await p.client.callTool(add("while down"));
    expect(down.isError).toBe(true);
    expect(textOf(down)).toContain("is not reachable (ECONNREFUSED); nothing was sent");
    const status = await p.client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ reachable: false, session: false, problem: { code: "unavailable" } });

    await fx.up();
    await changed;
    expect((await p.client.listTools()).tools).toHaveLength(14);
    expect(textOf(await p.client.callTool(add("after")))).toMatch(/^✅/);
    expect(fx.toolRuns.map((r) => r.args["text"])).toEqual(["after"]);
  });

  it("answers initialize from the cached capabilities when the remote is slow, and tools only without a cache", async () => {
    const fx = await fixture();
    const cacheFile = tempCacheFile();
    const first = await proxy({ endpoint: fx.url, cacheFile });
    const remoteCapabilities = first.client.getServerCapabilities();
    expect(remoteCapabilities?.resources).toBeDefined();
    await first.client.listTools();
    await first.stop();

    const release = fx.holdInitialize();
    const slow = await proxy({ endpoint: fx.url, cacheFile, initializeWaitMs: 100 });
    expect(slow.client.getServerCapabilities()).toEqual(remoteCapabilities);
    expect(slow.client.getServerVersion()?.name).toBe("mem0-mcp");
    const uncached = await proxy({ endpoint: fx.url, initializeWaitMs: 100 });
    expect(uncached.client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });
    release();
    expect((await slow.client.listTools()).tools).toHaveLength(14);
    expect((await uncached.client.listTools()).tools).toHaveLength(14);
  });

  it("gives a second session the tool list the first one cached, while the remote is down", async () => {
    const fx = await fixture();
    const cacheFile = tempCacheFile();
    const first = await proxy({ endpoint: fx.url, cacheFile });
    await first.client.listTools();
    await first.stop();
    await fx.down();

    const second = await proxy({ endpoint: fx.url, cacheFile });
    expect(second.client.getServerVersion()?.name).toBe("mem0-mcp");
    const { tools } = await second.client.listTools();
    expect(tools).toHaveLength(14);
    expect(tools[0]?.name).toBe("add_coding_preference");
    const result = await second.client.callTool(add("x"));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("is not reachable");
  });

  it("turns the Mem0 MCP server's ❌ Authentication failed into the login sentence, and other ❌ texts into errors", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url, token: "mcp_" + "n".repeat(43) });
    const result = await client.callTool({ name: "get_all_coding_preferences", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      `Authentication failed at ${fx.origin}/mcp: the server rejected the token (Invalid authentication token). Run: npx mcp-memory-bridge login ${fx.origin}/mcp`,
    );
    expect(result.structuredContent).toBeUndefined();

    const good = await proxy({ endpoint: fx.url });
    const missing = await good.client.callTool({ name: "delete_memory", arguments: { memory_id: "nope" } });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^❌ Error deleting memory: HTTP 404/);
    const status = await good.client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ server_kind: "mem0-mcp", token_accepted: true, tools: 13, session: true });
  });

  it("tries a refused call once more on a new session when the stored token changed (a login while serving)", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url, token: "mcp_" + "o".repeat(43), refreshedToken: () => TOKEN });
    const result = await client.callTool(add("after login"));
    expect(textOf(result)).toMatch(/^✅/);
    expect(fx.toolRuns.map((r) => r.args["text"])).toEqual(["after login"]);
    expect(fx.requests.filter((r) => r.rpc[0] === "initialize")).toHaveLength(2);
  });

  it("says a bearer server refused the token (401), and uses a token stored since on a new session", async () => {
    const server = await startBearerMcpServer("k-good-123456");
    closeLater(() => server.close());
    const stale = await proxy({ endpoint: server.url, scheme: "bearer", token: "k-stale-123456" });
    const refused = await stale.client.callTool({ name: "memory_store", arguments: {} });
    expect(textOf(refused)).toBe(`Authentication failed (401) at ${server.url}: the server rejected the token (invalid_token). Run: npx mcp-memory-bridge login ${server.url}`);
    expect(stale.client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });

    const renewed = await proxy({ endpoint: server.url, scheme: "bearer", token: "k-stale-123456", refreshedToken: () => "k-good-123456" });
    expect(textOf(await renewed.client.callTool({ name: "memory_store", arguments: {} }))).toBe("stored");
    expect(server.calls).toBe(1);
  });

  it("answers 50 calls in flight when stdin ends, before it stops", async () => {
    const fx = await fixture();
    // Above the default 16 connections, so that all 50 calls reach the fixture at once.
    const p = await proxy({ endpoint: fx.url, maxConnections: 64 });
    await p.client.listTools();
    const release = fx.holdCalls();
    const calls = Array.from({ length: 50 }, (_, i) => p.client.callTool(history(`id-${i}`)));
    await fx.runsStarted(50);
    p.transport.endStdin();
    release();
    const results = await Promise.all(calls);
    await p.proxy.done;
    expect(results.filter((r) => r.isError === false && textOf(r) === "[]")).toHaveLength(50);
    expect(fx.requests.some((r) => r.method === "DELETE")).toBe(true);
  });
});

describe("the legacy SSE transport", () => {
  it("falls back to it when the endpoint refuses Streamable HTTP with 405", async () => {
    const fx = await fixture({ mode: "sse-only" });
    const { client } = await proxy({ endpoint: fx.url });
    expect((await client.listTools()).tools).toHaveLength(14);
    expect(textOf(await client.callTool(add("over sse")))).toMatch(/^✅/);
    const status = await client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ transport: "sse", session: true });
    expect(fx.requests[0]).toMatchObject({ method: "POST", path: "/mcp/" });
    expect(fx.requests.some((r) => r.method === "GET" && r.path === "/mcp/")).toBe(true);
    expect(fx.requests.filter((r) => r.path.startsWith("/messages/")).every((r) => r.headers["x-mcp-token"] === TOKEN)).toBe(true);
  });

  it("is used directly for a URL ending in /sse; a dropped stream loses the call in flight and the next call opens a new session", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: `${fx.origin}/sse/` });
    expect(textOf(await client.callTool(history("a")))).toBe("[]");
    expect(fx.requests.some((r) => r.path === "/mcp/")).toBe(false);
    const release = fx.holdCalls();
    const call = client.callTool(add("lost"));
    await fx.runsStarted(2);
    fx.breakCallStreams();
    const lost = await call;
    release();
    expect(lost.isError).toBe(true);
    expect(textOf(lost)).toContain("may or may not have run");
    expect(textOf(await client.callTool(history("b")))).toBe("[]");
    expect(fx.requests.filter((r) => r.method === "GET" && r.path === "/sse/")).toHaveLength(2);
  });
});
