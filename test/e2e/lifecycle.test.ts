import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

const TOKEN = "tok_Zq8vX1distinctive_e2e_secret_42";
let fixture: MemoryServiceFixture;
let bridge: BridgeProcess | undefined;
const repo = makeGitRepo();

beforeAll(async () => {
  fixture = await createMemoryServiceFixture({ token: TOKEN });
});
afterAll(async () => {
  await fixture.close();
});
beforeEach(() => fixture.reset());
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

async function start(env: Record<string, string> = {}) {
  bridge = await startBridge({ env: { MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: TOKEN, ...env }, cwd: repo });
  return bridge;
}

async function until(condition: () => boolean, what: string, ms = 5_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("stdout is the protocol, stderr never shows the token", () => {
  it("writes only JSON-RPC lines to stdout and never logs the token, even at debug level", async () => {
    const { client, transport } = await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    fixture.inject({ status: 503, times: 2, method: "GET", path: "/memories" });
    const stored = await client.callTool({ name: "store_memory", arguments: { content: "hygiene check", tags: ["t"] } });
    const id = (stored.structuredContent as { id: string }).id;
    await client.callTool({ name: "list_memories", arguments: {} });
    await client.callTool({ name: "get_memory", arguments: { id } });
    await client.callTool({ name: "search_memories", arguments: { query: "hygiene" } });
    await client.callTool({ name: "get_memory", arguments: { id: "missing" } });
    await client.callTool({ name: "memory_status", arguments: {} });
    await client.callTool({ name: "store_memory", arguments: { content: "" } });
    await transport.close();

    expect(transport.stdoutLines.length).toBeGreaterThanOrEqual(8);
    for (const line of transport.stdoutLines) {
      const message = JSON.parse(line) as { jsonrpc?: string };
      expect(message.jsonrpc).toBe("2.0");
    }
    expect(transport.stderr).toMatch(/debug/);
    expect(transport.stderr).not.toContain(TOKEN);
    expect(transport.stdoutLines.join("\n")).not.toContain(TOKEN);
  });

  it("a rejected token is not logged either", async () => {
    const wrong = "tok_WRONG_distinctive_value_9931";
    const { client, transport } = await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug", MEMORY_BRIDGE_TOKEN: wrong });
    const result = await client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    await client.callTool({ name: "memory_status", arguments: {} });
    await transport.close();
    expect(transport.stderr + transport.stdoutLines.join("\n")).not.toContain(wrong);
  });
});

describe("a client that closes the bridge's stderr", () => {
  it("does not crash it: calls are still answered and it exits 0", async () => {
    const { client, transport } = await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    transport.child.stderr.destroy();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.callTool({ name: "list_memories", arguments: {} })));
    expect(results.every((r) => !r.isError)).toBe(true);
    transport.endStdin();
    expect(await transport.exited).toEqual({ code: 0, signal: null });
  });
});

describe("shutdown finishes what is in flight", () => {
  it("50 calls in flight when stdin closes all get their responses, then exit 0", async () => {
    const { client, transport } = await start();
    fixture.inject({ delayMs: 300, times: 50, method: "GET", path: "/memories" });
    const calls = Array.from({ length: 50 }, (_, i) => client.callTool({ name: "list_memories", arguments: { page: i + 1 } }));
    await until(() => fixture.requests.length >= 1, "the first request to reach the server");
    transport.endStdin();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.isError).map(textOf)).toEqual([]);
    expect(results).toHaveLength(50);
    expect(await transport.exited).toEqual({ code: 0, signal: null });
  });

  it("SIGTERM: answers every call in flight, then exits 0", async () => {
    const { client, transport } = await start();
    fixture.inject({ delayMs: 400, times: 10, method: "GET", path: "/memories" });
    const calls = Array.from({ length: 10 }, () => client.callTool({ name: "list_memories", arguments: {} }));
    await until(() => fixture.requests.length >= 10, "all ten requests to reach the server");
    transport.child.kill("SIGTERM");
    const results = await Promise.all(calls);
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(await transport.exited).toEqual({ code: 0, signal: null });
  });

  it("a cancelled call aborts its HTTP request and does not hold up exit", async () => {
    const { client, transport } = await start({ MEMORY_BRIDGE_LOG_LEVEL: "debug" });
    fixture.inject({ delayMs: 8_000, method: "GET", path: "/memories" });
    const controller = new AbortController();
    const call = client.callTool({ name: "list_memories", arguments: {} }, undefined, { signal: controller.signal });
    await until(() => fixture.requests.length >= 1, "the request to reach the server");
    controller.abort("user pressed stop");
    await expect(call).rejects.toThrow();
    // The bridge is still serving other calls.
    fixture.clearFaults();
    const next = await client.callTool({ name: "memory_status", arguments: {} });
    expect(next.isError).toBeFalsy();
    const closedAt = Date.now();
    transport.endStdin();
    expect(await transport.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    // The HTTP attempt itself was aborted (the transport raised CancelledError), not merely ignored.
    expect(transport.stderr).toMatch(/list_memories failed.*CancelledError/);
  });
});
