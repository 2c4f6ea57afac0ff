/**
 * The bin answers `initialize` before the CLI loads (src/serve-start.ts) and the SDK's server then
 * reads stdin from its first byte. These drive the built bin over raw stdio to show that the
 * session after the early answer is the one it always was: every message answered once, the
 * client's capabilities known to the server, calls in flight answered when stdin ends.
 */
import { describe, expect, it } from "vitest";
import { earlyInitializeAnswer } from "../../src/mcp/initialize-answer.js";
import { RawBridge } from "./raw-stdio.js";

const ENV = { MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:9", MEMORY_BRIDGE_BACKEND: "mcp-memory-service", MEMORY_BRIDGE_LOG_LEVEL: "debug" };
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: "init",
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: { roots: { listChanged: true } }, clientInfo: { name: "raw", version: "1" } },
});
const EARLY = /initialize was answered before the server loaded/;

describe("the early initialize answer, end to end", () => {
  it("the messages a client sends after the early answer, all at once: each answered once, roots asked for, in-flight calls answered on stdin's end", async () => {
    const bridge = new RawBridge({ env: ENV });
    bridge.send(INITIALIZE);
    await bridge.response("init");
    // Most likely read while the CLI is still loading: they wait in stdin for the SDK's server.
    const lines = [
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: "list", method: "tools/list" },
      { jsonrpc: "2.0", id: "ping", method: "ping" },
      { jsonrpc: "2.0", id: "status", method: "tools/call", params: { name: "memory_status", arguments: {} } },
      { jsonrpc: "2.0", id: "call", method: "tools/call", params: { name: "list_memories", arguments: {} } },
    ];
    bridge.child.stdin.write(lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
    // The server asks for the roots only if the SDK saw the client's capabilities in `initialize`.
    const rootsRequest = await bridge.waitFor((m) => m.method === "roots/list", "roots/list request");
    bridge.send({ jsonrpc: "2.0", id: rootsRequest.id, result: { roots: [] } });
    await bridge.response("list");
    const exit = await bridge.end();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(bridge.lines[0]).toBe(earlyInitializeAnswer(INITIALIZE)!.line.trimEnd());
    const ids = bridge.messages().filter((m) => m.method === undefined).map((m) => m.id);
    expect(ids.sort()).toEqual(["call", "init", "list", "ping", "status"]);
    const byId = new Map(bridge.messages().map((m) => [m.id, m]));
    expect(byId.get("ping")?.result).toEqual({});
    expect((byId.get("list")?.result?.tools as { name: string }[]).map((t) => t.name)).toContain("search_memories");
    expect(JSON.stringify(byId.get("status")?.result)).toMatch(/reachable/);
    expect(byId.get("call")?.result?.isError).toBe(true);
    expect(bridge.stderr).toMatch(EARLY);
    expect(bridge.stderr).not.toMatch(/differs from the server's/);
  });

  it("a first line that is not initialize is left to the SDK, and the session goes on as usual", async () => {
    const bridge = new RawBridge({ env: ENV });
    bridge.send({ jsonrpc: "2.0", id: 1, method: "ping" });
    bridge.send(INITIALIZE);
    await bridge.response("init");
    const exit = await bridge.end();
    expect(exit.code).toBe(0);
    expect(bridge.messages().map((m) => m.id)).toEqual([1, "init"]);
    expect(bridge.lines[1]).toBe(earlyInitializeAnswer(INITIALIZE)!.line.trimEnd());
    expect(bridge.stderr).not.toMatch(EARLY);
  });

  it("initialize without a newline before stdin ends is still answered once, by the SDK", async () => {
    const bridge = new RawBridge({ env: ENV });
    bridge.child.stdin.end(INITIALIZE);
    const exit = await bridge.exited;
    expect(exit.code).toBe(0);
    expect(bridge.lines).toEqual([earlyInitializeAnswer(INITIALIZE)!.line.trimEnd()]);
    expect(bridge.stderr).not.toMatch(EARLY);
  });

  it("settings that may select a remote MCP server are not answered early", async () => {
    const bridge = new RawBridge({ env: { ...ENV, MEMORY_BRIDGE_BACKEND: "mcp" } });
    bridge.send(INITIALIZE);
    const answer = await bridge.response("init");
    await bridge.end();
    // The proxy's own answer (the remote is down): not the canonical one written early.
    expect(bridge.lines[0]).not.toBe(earlyInitializeAnswer(INITIALIZE)!.line.trimEnd());
    expect(answer.result).toBeDefined();
    expect(bridge.stderr).not.toMatch(EARLY);
  });
});
