import { describe, expect, it } from "vitest";
import { MEM0_MCP_TOOL_NAMES } from "../fixtures/mem0-mcp/index.js";
import { startStub, type StubServer } from "../fixtures/stub-servers.js";
import { proxyScenario, textOf } from "./proxy-harness.js";

const TOKEN = "mcp_" + "Zq7".repeat(14) + "x";
const { fixture, proxy, closeLater } = proxyScenario(TOKEN);

describe("the proxy relays a remote MCP server over stdio", () => {
  it("lists the remote's 13 tools plus memory_status, and calls them through", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...MEM0_MCP_TOOL_NAMES, "memory_status"]);
    expect(client.getServerVersion()?.name).toBe("mem0-mcp");
    expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);

    const added = await client.callTool({ name: "add_coding_preference", arguments: { text: "Prefer pnpm in this repo" } });
    expect(added.isError).toBe(false);
    expect(textOf(added)).toMatch(/^✅ Successfully added preference/);
    const found = await client.callTool({ name: "search_coding_preferences", arguments: { query: "pnpm" } });
    expect(textOf(found)).toContain("Prefer pnpm in this repo");
    expect(found.structuredContent).toEqual({ result: textOf(found) });
    expect(fx.toolRuns.map((r) => r.name)).toEqual(["add_coding_preference", "search_coding_preferences"]);
  });

  it("passes resources, prompts and the remote's own JSON-RPC errors through unchanged", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: fx.url });
    expect(await client.listResources()).toEqual({ resources: [] });
    expect(await client.listPrompts()).toEqual({ prompts: [] });
    const error = await client.readResource({ uri: "mem0://nothing" }).catch((e: unknown) => e as { code: number; message: string });
    expect(error).toMatchObject({ code: -32601 });
    expect(fx.requests.some((r) => r.rpc[0] === "resources/read")).toBe(true);
  });

  it("sends X-MCP-Token and X-MCP-UserID (and the extra headers) on every request, and no Authorization", async () => {
    const fx = await fixture({ credentials: "request" });
    const { client } = await proxy({ endpoint: fx.url, headers: { "X-Team": "blue" } });
    await client.callTool({ name: "get_all_coding_preferences", arguments: {} });
    const posts = fx.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.rpc[0])).toEqual(expect.arrayContaining(["initialize", "notifications/initialized", "tools/call"]));
    for (const request of fx.requests) {
      expect(request.headers["x-mcp-token"]).toBe(TOKEN);
      expect(request.headers["x-mcp-userid"]).toBe("alice");
      expect(request.headers["x-team"]).toBe("blue");
      expect(request.headers["authorization"]).toBeUndefined();
    }
  });

  it("follows the server's redirect from /mcp to /mcp/ within its origin", async () => {
    const fx = await fixture();
    const { client } = await proxy({ endpoint: `${fx.origin}/mcp` });
    const result = await client.callTool({ name: "get_memory_history", arguments: { memory_id: "m1" } });
    expect(textOf(result)).toBe("[]");
    expect(fx.requests.some((r) => r.path === "/mcp" && r.rpc[0] === "initialize")).toBe(true);
    expect(fx.requests.some((r) => r.path === "/mcp/" && r.rpc[0] === "tools/call")).toBe(true);
  });

  it("never follows a redirect to another origin: that origin gets nothing, and the call says why", async () => {
    const fx = await fixture();
    const redirector: StubServer = await startStub((_req, res) => {
      res.writeHead(307, { location: fx.url }).end();
    });
    closeLater(() => redirector.close());
    const { client } = await proxy({ endpoint: `${redirector.origin}/mcp/`, initializeWaitMs: 2000 });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["memory_status"]);
    const result = await client.callTool({ name: "add_coding_preference", arguments: { text: "x" } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`redirected to another origin (${fx.origin})`);
    expect(redirector.requests.length).toBeGreaterThan(0);
    expect(redirector.requests.every((r) => r.headers["x-mcp-token"] === TOKEN)).toBe(true);
    expect(fx.requests).toHaveLength(0);
  });

  it("says which status a URL that serves no MCP answered (404 to both transports), and never quotes the token back", async () => {
    const nothing = await startStub((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    });
    closeLater(() => nothing.close());
    const missing = await proxy({ endpoint: `${nothing.origin}/mpc/`, initializeWaitMs: 2000 });
    const text404 = textOf(await missing.client.callTool({ name: "get_memory_history", arguments: { memory_id: "x" } }));
    expect(text404).toContain("answered HTTP 404; check the endpoint URL");
    // Each attempt (at start, and again for the call) tries Streamable HTTP, then the legacy transport.
    expect(nothing.requests.map((r) => r.method).join(" ")).toMatch(/^POST GET( POST GET)*$/);

    const echo = await startStub((req, res) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(`unexpected X-MCP-Token ${String(req.headers["x-mcp-token"])}`);
    });
    closeLater(() => echo.close());
    const quoted = await proxy({ endpoint: `${echo.origin}/mcp/`, initializeWaitMs: 2000 });
    const result = await quoted.client.callTool({ name: "get_memory_history", arguments: { memory_id: "x" } });
    expect(textOf(result)).toContain("answered HTTP 500 (unexpected X-MCP-Token [redacted])");
    const status = await quoted.client.callTool({ name: "memory_status", arguments: {} });
    expect(JSON.stringify(status)).toContain("[redacted]");
    expect(JSON.stringify([result, status])).not.toContain(TOKEN);
  });

  it("never writes the token to stdout or to the log at debug level", async () => {
    const fx = await fixture();
    const p = await proxy({ endpoint: fx.url, token: TOKEN });
    await p.client.listTools();
    await p.client.callTool({ name: "add_coding_preference", arguments: { text: "note" } });
    await p.client.callTool({ name: "memory_status", arguments: {} });
    const bad = await proxy({ endpoint: fx.url, token: "mcp_" + "W".repeat(43) });
    await bad.client.callTool({ name: "get_all_coding_preferences", arguments: {} });
    await p.stop();
    await bad.stop();
    const everything = [...p.logs, ...p.transport.stdoutLines, ...bad.logs, ...bad.transport.stdoutLines].join("\n");
    expect(p.logs.some((line) => line.includes("debug: mcp http"))).toBe(true);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain("W".repeat(43));
    expect(everything).not.toContain(TOKEN.slice(4, 20));
  });
});
