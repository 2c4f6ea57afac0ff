import { describe, expect, it } from "vitest";
import { proxyFailureText, proxyStatusText } from "../../src/mcp/proxy-messages.js";

const at = "https://mem.example.com/mcp";
const CLI = "npx mcp-memory-bridge";

describe("the sentences for a remote MCP server's failures", () => {
  it("turns the Mem0 MCP server's authentication failure into the login sentence", () => {
    const text = proxyFailureText({ code: "auth-rejected", endpoint: at, reason: "Invalid authentication token. Please check your MEM0_TOKEN environment variable.", tokenSent: true }, CLI);
    expect(text).toBe(`Authentication failed at ${at}: the server rejected the token (Invalid authentication token). Run: npx mcp-memory-bridge login ${at}`);
  });

  it("names the owner when the token belongs to another user id", () => {
    const text = proxyFailureText({ code: "auth-rejected", endpoint: at, reason: "User ID mismatch. This token belongs to 'alice', but you provided 'bob'.", tokenSent: true }, CLI);
    expect(text).toContain("the token belongs to 'alice'. Set --user-id alice");
  });

  it("says when no token was sent at all", () => {
    expect(proxyFailureText({ code: "auth-rejected", endpoint: at, status: 401, tokenSent: false }, CLI)).toBe(
      `Authentication required at ${at}: no token is stored for this endpoint, so none was sent. Run: npx mcp-memory-bridge login ${at}`,
    );
  });

  it("says a call may or may not have run only when it was sent", () => {
    expect(proxyFailureText({ code: "outcome-unknown", endpoint: at, method: "tools/call", cause: "stream-broken" }, CLI)).toContain("may or may not have run");
    expect(proxyFailureText({ code: "deadline", endpoint: at, method: "tools/call", timeoutMs: 15000, sent: true }, CLI)).toContain("within 15 s: the call may or may not have run");
    expect(proxyFailureText({ code: "deadline", endpoint: at, method: "tools/call", timeoutMs: 1500, sent: false }, CLI)).toContain("within 1.5 s; nothing was sent");
    expect(proxyFailureText({ code: "unavailable", endpoint: at, cause: "ECONNREFUSED" }, CLI)).toContain("not reachable (ECONNREFUSED); nothing was sent");
  });

  it("renders memory_status without the token's value", () => {
    const text = proxyStatusText({
      endpoint: at,
      backend: "mcp",
      server_kind: "mem0-mcp",
      transport: "sse",
      reachable: true,
      session: true,
      latency_ms: 12,
      tools: 13,
      token_accepted: false,
      version: "0.1.0",
    }, CLI);
    expect(text).toContain("the Mem0 MCP server");
    expect(text).toContain("Reachable: yes, 12 ms; MCP session established over the legacy SSE transport");
    expect(text).toContain("Tools: 13 from the server, plus memory_status");
    expect(text).toContain("Token: rejected");
  });

  it("names the command as this run is named, so its commands run as printed", () => {
    const checkout = "node /home/me/mcp-memory-bridge/bin/mcp-memory-bridge.js";
    expect(proxyFailureText({ code: "auth-rejected", endpoint: at, status: 401, tokenSent: false }, checkout)).toContain(`Run: ${checkout} login ${at}`);
    expect(proxyFailureText({ code: "unavailable", endpoint: at }, checkout)).toContain(`(${checkout} status shows what the bridge sees)`);
  });
});
