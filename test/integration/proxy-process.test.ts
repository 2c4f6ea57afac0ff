import { resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { describe, expect, it } from "vitest";
import { RecordingStdioTransport, textOf } from "../e2e/harness.js";
import { proxyScenario } from "./proxy-harness.js";

const TOKEN = "mcp_" + "Pipe5".repeat(8) + "xyz";
const RUNNER = ["--import", "tsx", resolve("test/integration/proxy/run-proxy.ts")];
const { fixture, closeLater } = proxyScenario(TOKEN);

async function spawnProxy(endpoint: string): Promise<{ client: Client; transport: RecordingStdioTransport }> {
  const env = { PATH: process.env["PATH"], PROXY_ENDPOINT: endpoint, MEMORY_BRIDGE_TOKEN: TOKEN };
  const transport = new RecordingStdioTransport([], env, process.cwd(), RUNNER);
  closeLater(async () => {
    transport.child.kill("SIGKILL");
    await transport.exited;
  });
  const client = new Client({ name: "proxy-process-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

const history = (id: string) => ({ name: "get_memory_history", arguments: { memory_id: id } });

describe("the proxy as a process on real stdio pipes", () => {
  it("answers 50 calls in flight when stdin ends, writes only JSON-RPC to stdout, and exits 0", async () => {
    const fx = await fixture();
    const { client, transport } = await spawnProxy(fx.url);
    await client.listTools();
    const release = fx.holdCalls();
    const calls = Array.from({ length: 50 }, (_, i) => client.callTool(history(`h${i}`)));
    await fx.runsStarted(50);
    transport.endStdin();
    release();
    const results = await Promise.all(calls);
    expect(results.map(textOf)).toEqual(Array.from({ length: 50 }, () => "[]"));
    expect(await transport.exited).toEqual({ code: 0, signal: null });
    for (const line of transport.stdoutLines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    expect(transport.stderr).toContain("debug: stopping");
    expect(transport.stderr).not.toContain(TOKEN);
  });

  it("finishes the calls in flight on SIGTERM before it exits", async () => {
    const fx = await fixture();
    const { client, transport } = await spawnProxy(fx.url);
    const release = fx.holdCalls();
    const calls = [1, 2, 3, 4, 5].map((i) => client.callTool({ name: "add_coding_preference", arguments: { text: `kept ${i}` } }));
    await fx.runsStarted(5);
    transport.child.kill("SIGTERM");
    release();
    const results = await Promise.all(calls);
    expect(results.every((r) => r.isError === false && textOf(r).startsWith("✅"))).toBe(true);
    expect(await transport.exited).toEqual({ code: 0, signal: null });
    expect(transport.stderr).toContain('reason="SIGTERM"');
  });
});
