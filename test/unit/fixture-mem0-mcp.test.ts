import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { MEM0_MCP_SERVER_INFO, MEM0_MCP_TOOL_NAMES, startMem0McpFixture, type Mem0McpFixture, type Mem0McpFixtureOptions } from "../fixtures/mem0-mcp/index.js";

const TOKEN = "mcp_" + "a".repeat(43);
const open: { close(): Promise<void> }[] = [];

async function fixture(options: Mem0McpFixtureOptions = {}): Promise<Mem0McpFixture> {
  const fx = await startMem0McpFixture({ tokens: { [TOKEN]: { userId: "alice" } }, ...options });
  open.push(fx);
  return fx;
}

async function connect(url: string, headers: Record<string, string> = {}, legacy = false): Promise<Client> {
  const client = new Client({ name: "fixture-test", version: "1.0.0" });
  const init = { requestInit: { headers } };
  await client.connect(legacy ? new SSEClientTransport(new URL(url), init) : new StreamableHTTPClientTransport(new URL(url), init));
  open.push(client);
  return client;
}

const creds = (token = TOKEN, user = "alice") => ({ "X-MCP-Token": token, "X-MCP-UserID": user });
const textOf = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? "");

afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close().catch(() => undefined);
});

describe("the Mem0 MCP server fixture", () => {
  it("lists its 13 tools without credentials and names itself as FastMCP does", async () => {
    const fx = await fixture();
    const client = await connect(fx.url);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(MEM0_MCP_TOOL_NAMES);
    expect(tools).toHaveLength(13);
    expect(client.getServerVersion()).toEqual(MEM0_MCP_SERVER_INFO);
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
    expect(tools.find((t) => t.name === "search_coding_preferences")?.inputSchema).toMatchObject({ required: ["query"] });
  });

  it("answers a tool call without credentials with an ordinary text result, not an error", async () => {
    const fx = await fixture();
    const result = await (await connect(fx.url)).callTool({ name: "get_all_coding_preferences", arguments: {} });
    expect(result.isError).toBe(false);
    expect(textOf(result)).toMatch(/^❌ Authentication failed: Missing authentication credentials\./);
    expect(fx.toolRuns).toHaveLength(0);
  });

  it("checks the token, then the user id it belongs to", async () => {
    const fx = await fixture();
    const wrong = await (await connect(fx.url, creds("mcp_wrong"))).callTool({ name: "get_all_coding_preferences", arguments: {} });
    expect(textOf(wrong)).toMatch(/^❌ Authentication failed: Invalid authentication token\./);
    const mismatch = await (await connect(fx.url, creds(TOKEN, "bob"))).callTool({ name: "get_all_coding_preferences", arguments: {} });
    expect(textOf(mismatch)).toContain("This token belongs to 'alice', but you provided 'bob'");
  });

  it("stores, searches and deletes with valid credentials, answering main.py's texts", async () => {
    const fx = await fixture();
    const client = await connect(fx.url, creds());
    const added = textOf(await client.callTool({ name: "add_coding_preference", arguments: { text: "Use tabs in Makefiles" } }));
    expect(added).toMatch(/^✅ Successfully added preference for project 'mem0-fixture_3f9a1c':/);
    const id = /"id": "([^"]+)"/.exec(added)?.[1] ?? "";
    const found = await client.callTool({ name: "search_coding_preferences", arguments: { query: "makefiles" } });
    expect(textOf(found)).toContain("Use tabs in Makefiles");
    expect(found.structuredContent).toEqual({ result: textOf(found) });
    expect(textOf(await client.callTool({ name: "delete_memory", arguments: { memory_id: id } }))).toBe(`✅ Successfully deleted memory ${id}`);
    expect(textOf(await client.callTool({ name: "delete_memory", arguments: { memory_id: id } }))).toMatch(/^❌ Error deleting memory: HTTP 404/);
    expect(textOf(await client.callTool({ name: "get_memory_history", arguments: { memory_id: "00000000-0000-0000-0000-000000000000" } }))).toBe("[]");
  });

  it("takes the credentials of the request that opened the session (Python MCP SDK 1.x), or of each request", async () => {
    const fx = await fixture();
    // Credentials on initialize only: the session keeps them.
    const client = await connect(fx.url, creds());
    expect(textOf(await client.callTool({ name: "get_all_coding_preferences", arguments: {} }))).toContain('"results"');

    const perRequest = await fixture({ credentials: "request" });
    const other = await connect(perRequest.url, creds());
    expect(textOf(await other.callTool({ name: "get_all_coding_preferences", arguments: {} }))).toContain('"results"');
  });

  it("answers 404 for an expired session id and 307 from /mcp to /mcp/", async () => {
    const fx = await fixture();
    const client = await connect(fx.url);
    fx.expireSessions();
    const error = await client.listTools().catch((e: unknown) => e as { code?: number; message: string });
    expect(error).toMatchObject({ code: 404 });
    expect(String((error as Error).message)).toContain("Session not found");

    const redirect = await fetch(`${fx.origin}/mcp`, { method: "POST", redirect: "manual" });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe(`${fx.origin}/mcp/`);
  });

  it("speaks the legacy SSE transport at /sse, and only that at the endpoint URL in sse-only mode", async () => {
    const fx = await fixture();
    const legacy = await connect(`${fx.origin}/sse/`, creds(), true);
    expect((await legacy.listTools()).tools).toHaveLength(13);
    expect(textOf(await legacy.callTool({ name: "get_memory_history", arguments: { memory_id: "x" } }))).toBe("[]");

    const sseOnly = await fixture({ mode: "sse-only" });
    const post = await fetch(sseOnly.url, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(post.status).toBe(405);
    const client = await connect(sseOnly.url, creds(), true);
    expect((await client.listTools()).tools).toHaveLength(13);
    const unknown = await fetch(`${sseOnly.origin}/messages/?session_id=${"0".repeat(32)}`, { method: "POST", body: "{}" });
    expect([unknown.status, await unknown.text()]).toEqual([404, "Could not find session"]);
  });

  it("goes down and comes back on the same port without its sessions", async () => {
    const fx = await fixture();
    await connect(fx.url);
    expect(fx.sessionCount()).toBe(1);
    await fx.down();
    await expect(fetch(`${fx.origin}/`)).rejects.toThrow();
    await fx.up();
    expect(fx.sessionCount()).toBe(0);
    expect((await fetch(`${fx.origin}/`)).status).toBe(200);
  });
});
