import { describe, expect, it } from "vitest";
import { authHeadersFor, checkExtraHeaders, parseHeaderLine } from "../../src/proxy/auth-headers.js";
import { classifyMem0Result, listsMem0McpTools, MEM0_MCP_TOOL_NAMES, tokenOwnerIn } from "../../src/proxy/mem0-mcp.js";
import { requestIdsIn } from "../../src/proxy/remote-fetch.js";
import { EventSizer } from "../../src/proxy/stream-watch.js";
import { advertisedCapabilities, STATUS_TOOL, withStatusTool } from "../../src/proxy/tool-list.js";
import { MEM0_MCP_TOOL_NAMES as FIXTURE_TOOL_NAMES } from "../fixtures/mem0-mcp/index.js";

const text = (t: string) => ({ content: [{ type: "text", text: t }], isError: false });

describe("auth headers per scheme", () => {
  it("sends X-MCP-Token (secret) and X-MCP-UserID (not secret) for x-mcp-token", () => {
    expect(authHeadersFor("x-mcp-token", "mcp_abc", "alice")).toEqual({ secret: { "X-MCP-Token": "mcp_abc" }, plain: { "X-MCP-UserID": "alice" } });
  });

  it("sends one header for the other schemes", () => {
    expect(authHeadersFor("bearer", "k", "u")).toEqual({ secret: { Authorization: "Bearer k" }, plain: {} });
    expect(authHeadersFor("token", "k", "u")).toEqual({ secret: { Authorization: "Token k" }, plain: {} });
    expect(authHeadersFor("x-api-key", "k", "u")).toEqual({ secret: { "X-API-Key": "k" }, plain: {} });
  });
});

describe("extra headers (--header)", () => {
  it("parses `Name: value` and keeps the given names", () => {
    expect(parseHeaderLine("X-Team:  blue ")).toEqual(["X-Team", "blue"]);
    expect(parseHeaderLine("no colon")).toBeUndefined();
    expect(parseHeaderLine("Bad Name: x")).toBeUndefined();
    expect(checkExtraHeaders(["X-Team: blue", "X-Env: a:b"])).toEqual({ ok: true, headers: { "X-Team": "blue", "X-Env": "a:b" } });
    expect(checkExtraHeaders({ "X-Team": "blue" })).toEqual({ ok: true, headers: { "X-Team": "blue" } });
  });

  it("refuses credentials, headers the bridge sets itself, and values that carry the token", () => {
    expect(checkExtraHeaders(["Authorization: Bearer x"])).toEqual({ ok: false, problem: { kind: "reserved", name: "Authorization", use: "--auth-scheme" } });
    expect(checkExtraHeaders(["x-mcp-userid: bob"])).toEqual({ ok: false, problem: { kind: "reserved", name: "x-mcp-userid", use: "--user-id" } });
    expect(checkExtraHeaders(["Mcp-Session-Id: 1"])).toMatchObject({ ok: false, problem: { kind: "reserved" } });
    expect(checkExtraHeaders(["X-Upstream-Token: t"])).toEqual({ ok: false, problem: { kind: "credential", name: "X-Upstream-Token" } });
    expect(checkExtraHeaders(["X-Note: prefix-mcp_secret123-suffix"], "mcp_secret123")).toEqual({ ok: false, problem: { kind: "carries-token", name: "X-Note" } });
    expect(checkExtraHeaders({ "X-Bad": "a\r\nInjected: 1" })).toEqual({ ok: false, problem: { kind: "invalid-value", name: "X-Bad" } });
    expect(checkExtraHeaders(["nonsense"])).toEqual({ ok: false, problem: { kind: "malformed", input: "nonsense" } });
  });
});

describe("the Mem0 MCP server", () => {
  it("is recognised by its tool list, which the fixture reproduces", () => {
    expect(FIXTURE_TOOL_NAMES).toEqual([...MEM0_MCP_TOOL_NAMES]);
    expect(listsMem0McpTools(MEM0_MCP_TOOL_NAMES.map((name) => ({ name })))).toBe(true);
    expect(listsMem0McpTools([{ name: "memory_store" }, { name: "add_coding_preference" }])).toBe(false);
    expect(listsMem0McpTools([])).toBe(false);
  });

  it("says a result failed when its text starts with ❌, and that authentication failed with its reason", () => {
    expect(classifyMem0Result(text("✅ Successfully deleted memory 1"))).toEqual({ kind: "ok" });
    expect(classifyMem0Result(text("[]"))).toEqual({ kind: "ok" });
    expect(classifyMem0Result(text("❌ Error deleting memory: HTTP 404 - nope"))).toEqual({ kind: "failed" });
    expect(classifyMem0Result(text("❌ Authentication failed: Invalid authentication token. Please check it."))).toEqual({
      kind: "auth-failed",
      reason: "Invalid authentication token. Please check it.",
    });
    expect(classifyMem0Result({ content: [{ type: "image", data: "" }] })).toEqual({ kind: "ok" });
  });

  it("reads the token's owner from a user id mismatch", () => {
    expect(tokenOwnerIn("User ID mismatch. This token belongs to 'alice', but you provided 'bob'.")).toBe("alice");
    expect(tokenOwnerIn("Invalid authentication token.")).toBeUndefined();
  });
});

describe("SSE event sizes", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("counts each event on its own, whatever the line ending and however it is split", () => {
    for (const sep of ["\n", "\r\n", "\r"]) {
      const sizer = new EventSizer(12);
      expect(sizer.add(bytes(`data: 1234${sep}${sep}data: 12`))).toBe(true);
      expect(sizer.add(bytes(`34${sep}${sep}`))).toBe(true);
    }
  });

  it("refuses an event larger than the cap, even when it arrives in pieces", () => {
    const sizer = new EventSizer(10);
    expect(sizer.add(bytes("data: 12"))).toBe(true);
    expect(sizer.add(bytes("345"))).toBe(false);
    const lines = new EventSizer(15);
    expect(lines.add(bytes("data: 1\r\ndata: 2\r\n"))).toBe(true);
    expect(lines.add(bytes("data: 3\r\n"))).toBe(false);
  });
});

describe("what the client is told", () => {
  it("announces the remote's capabilities without tasks, with tools and listChanged always", () => {
    expect(advertisedCapabilities(undefined)).toEqual({ tools: { listChanged: true } });
    expect(advertisedCapabilities({ tools: { listChanged: false }, resources: { subscribe: false }, tasks: { list: {} }, logging: {} })).toEqual({
      tools: { listChanged: true },
      resources: { subscribe: false },
      logging: {},
    });
  });

  it("adds memory_status last, in place of a remote tool of that name", () => {
    const remote = [{ name: "a", inputSchema: { type: "object" as const } }, { name: "memory_status", inputSchema: { type: "object" as const } }];
    expect(withStatusTool(remote)).toEqual([remote[0], STATUS_TOOL]);
  });

  it("finds the request ids a POST carried", () => {
    expect(requestIdsIn(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call" }))).toEqual([7]);
    expect(requestIdsIn(JSON.stringify([{ jsonrpc: "2.0", id: "a", method: "x" }, { jsonrpc: "2.0", method: "notifications/initialized" }]))).toEqual(["a"]);
    expect(requestIdsIn(JSON.stringify({ jsonrpc: "2.0", id: 3, result: {} }))).toEqual([]);
    expect(requestIdsIn("not json")).toEqual([]);
  });
});
