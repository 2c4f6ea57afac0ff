/**
 * The built bridge with no endpoint configured, inside a network namespace the test makes (only
 * `lo`, multicast on): it finds a memory server advertised over real mDNS and stores and lists
 * through it, prefers the live one of two, replaces a remembered endpoint that is gone, and — when
 * nothing answers — still answers `initialize` at once and says in memory_status what it tried.
 * Nothing is sent on the machine's own interfaces. Needs root and iproute2 (test/prerequisites:
 * skipped without them, a failure under CI).
 */
import { describe, expect, it } from "vitest";
import { netnsPerTest } from "../integration/netns/per-test.js";

const BRIDGE = "test/integration/netns/bridge-main.ts";
const RUN_TIMEOUT_MS = 40_000;

interface BridgeResult {
  discoveryDoneAtInitialize?: boolean;
  tools?: string[];
  status?: { endpoint: string | null; endpoint_source: string; backend: string | null; problems?: string[]; discovery?: { tried: { url: string; source: string; result: string }[]; mdns: { ran: boolean; services: number } } };
  stored?: { isError: boolean; text: string };
  listed?: { isError: boolean; total: unknown };
  code?: number;
  stdout?: string;
  stderr: string;
  rememberedAfter?: string;
}

describe("the bridge discovers its server in a network namespace", { timeout: 60_000 }, () => {
  const { ns, dir, startServer } = netnsPerTest("bridge-netns-");

  function bridge(mode: "serve" | "discover", remembered?: string): Promise<BridgeResult> {
    const spec = { configDir: dir(), mode, ...(remembered === undefined ? {} : { remembered }) };
    return ns().runNode(BRIDGE, spec).line("BRIDGE_RESULT", RUN_TIMEOUT_MS) as Promise<BridgeResult>;
  }

  it("with no endpoint configured, finds the advertised server, stores and lists through it, and remembers it", async () => {
    const port = await startServer({ name: "MCP Memory Service", serve: true, address: "127.0.0.1" });
    const endpoint = `http://127.0.0.1:${port}/api`;
    const result = await bridge("serve");
    expect(result.discoveryDoneAtInitialize, result.stderr).toBe(false);
    expect(result.tools).toContain("store_memory");
    expect(result.status).toMatchObject({ endpoint, endpoint_source: "discovered", backend: "mcp-memory-service" });
    expect(result.status?.discovery?.tried.at(-1)).toEqual({ url: endpoint, source: "mdns", result: "found" });
    expect(result.stored).toMatchObject({ isError: false });
    expect(result.listed).toEqual({ isError: false, total: 1 });
    expect(result.rememberedAfter).toBe(endpoint);
  });

  it("replaces a remembered endpoint that is gone with the one discovery finds", async () => {
    const port = await startServer({ name: "MCP Memory Service", serve: true, address: "127.0.0.1" });
    const gone = "http://127.0.0.1:8001/api";
    const result = await bridge("serve", gone);
    expect(result.status?.discovery?.tried[0]).toEqual({ url: gone, source: "remembered", result: "unreachable" });
    expect(result.status?.endpoint).toBe(`http://127.0.0.1:${port}/api`);
    expect(result.listed).toEqual({ isError: false, total: 1 });
    expect(result.rememberedAfter).toBe(`http://127.0.0.1:${port}/api`);
  });

  it("of two advertised servers, one dead, uses the live one", async () => {
    await startServer({ name: "a-dead", serve: false, port: 8002, address: "127.0.0.1" });
    const live = await startServer({ name: "b-live", serve: true, address: "127.0.0.1" });
    const result = await bridge("serve");
    expect(result.status?.endpoint).toBe(`http://127.0.0.1:${live}/api`);
    expect(result.status?.discovery?.tried).toContainEqual({ url: "http://127.0.0.1:8002/api", source: "mdns", result: "unreachable" });
    expect(result.listed).toEqual({ isError: false, total: 1 });
  });

  it("when nothing answers, answers initialize at once and memory_status says what it tried and how to configure a server", async () => {
    const result = await bridge("serve");
    expect(result.discoveryDoneAtInitialize, result.stderr).toBe(false);
    expect(result.status).toMatchObject({ endpoint: null, endpoint_source: "discovered" });
    expect(result.status?.discovery).toEqual({
      tried: [
        { url: "http://127.0.0.1:8000/api", source: "local", result: "unreachable" },
        { url: "http://127.0.0.1:8888", source: "local", result: "unreachable" },
      ],
      mdns: { ran: true, services: 0 },
    });
    expect(result.status?.problems).toEqual([expect.stringMatching(/No memory server was found: tried .*login <URL>.*MEMORY_BRIDGE_ENDPOINT/)]);
    expect(result.stored?.isError).toBe(true);
    expect(result.stored?.text).toMatch(/No memory server was found/);
  });

  it("discover --json lists the advertised server", async () => {
    const port = await startServer({ name: "MCP Memory Service", serve: true, address: "127.0.0.1" });
    const result = await bridge("discover");
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout!) as { servers: unknown[]; mdns: unknown };
    expect(out.servers).toEqual([
      { url: `http://127.0.0.1:${port}/api`, backend: "mcp-memory-service", version: expect.any(String), auth_required: false, latency_ms: expect.any(Number), token_stored: false, found_by: "mdns", name: "mcp memory service" },
    ]);
    expect(out.mdns).toEqual({ ran: true, services: 1 });
  });
});
