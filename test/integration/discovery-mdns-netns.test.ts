/**
 * Real mDNS: each test makes its own network namespace (only `lo`, multicast on, a 224.0.0.0/4
 * route), runs memory servers that advertise themselves the way mcp-memory-service does (fixture +
 * multicast-dns responder, one process each) and the bridge's discovery inside it, as separate
 * processes. Nothing is ever sent on the machine's own interfaces. Needs root and iproute2
 * (test/prerequisites: skipped without them, a failure under CI).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { netnsPerTest, START_TIMEOUT_MS } from "./netns/per-test.js";

const DISCOVER = "test/integration/netns/discover-main.ts";
const WINDOW_MS = 1500;

interface DiscoveryResult {
  chosen?: { source: string; endpoint: string; backend: string; mdns?: { name: string; fallbackFor?: string[] } };
  attempts: [string, string, string][];
  mdns: { ran: boolean; services: number; error?: string };
  remembered?: string;
  rememberedAfter?: string;
  used?: { stored: unknown; listed: unknown };
}

describe("mDNS discovery in a network namespace", () => {
  const { ns, dir, startServer } = netnsPerTest("discovery-netns-");

  async function discover(remembered?: string): Promise<DiscoveryResult> {
    const spec = { cacheFile: join(dir(), "discovery-cache.json"), windowMs: WINDOW_MS, ...(remembered === undefined ? {} : { remembered }) };
    return (await ns().runNode(DISCOVER, spec).line("DISCOVERY_RESULT", START_TIMEOUT_MS + WINDOW_MS)) as DiscoveryResult;
  }

  it("finds the advertised server when the remembered one is gone, uses it, and remembers it", async () => {
    // What mcp-memory-service advertises here: no route to the internet, so its A record says 127.0.0.1.
    const port = await startServer({ name: "MCP Memory Service", serve: true, address: "127.0.0.1" });
    const gone = "http://127.0.0.1:8001/api";
    const result = await discover(gone);
    const endpoint = `http://127.0.0.1:${port}/api`;
    expect(result.chosen).toEqual({ source: "mdns", endpoint, backend: "mcp-memory-service", mdns: { name: "mcp memory service", txt: expect.any(Object) } });
    expect(result.attempts).toEqual([
      ["remembered", gone, "unreachable"],
      ["local", "http://127.0.0.1:8000/api", "unreachable"],
      ["local", "http://127.0.0.1:8888", "unreachable"],
      ["mdns", endpoint, "found"],
    ]);
    expect(result.mdns).toEqual({ ran: true, services: 1 });
    expect(result.used).toEqual({ stored: true, listed: 1 });
    expect(result).toMatchObject({ remembered: gone, rememberedAfter: endpoint });
  });

  it("uses mcp-memory-service's default address when it answers, without browsing", async () => {
    await startServer({ name: "MCP Memory Service", serve: true, port: 8000, address: "127.0.0.1" });
    const result = await discover();
    expect(result.chosen).toMatchObject({ source: "local", endpoint: "http://127.0.0.1:8000/api" });
    expect(result.mdns).toEqual({ ran: false, services: 0 });
    expect(result.used).toEqual({ stored: true, listed: 1 });
  });

  it("chooses the live one of two advertised servers", async () => {
    // "a-dead" sorts first: its advertisement lingers at a port nothing listens on.
    await startServer({ name: "a-dead", serve: false, port: 8002, address: "127.0.0.1" });
    const live = await startServer({ name: "b-live", serve: true, address: null }); // no A record: the answer's source address
    const result = await discover();
    expect(result.mdns).toEqual({ ran: true, services: 2 });
    expect(result.chosen).toMatchObject({ source: "mdns", endpoint: `http://127.0.0.1:${live}/api`, mdns: { name: "b-live" } });
    expect(result.attempts).toContainEqual(["mdns", "http://127.0.0.1:8002/api", "unreachable"]);
    expect(result.used).toEqual({ stored: true, listed: 1 });
  });

  it("tries 127.0.0.1 at the advertised port when the advertised address does not answer", async () => {
    const port = await startServer({ name: "MCP Memory Service", serve: true, address: "127.0.0.2" });
    const result = await discover();
    expect(result.attempts.slice(-2)).toEqual([
      ["mdns", `http://127.0.0.2:${port}/api`, "unreachable"],
      ["mdns", `http://127.0.0.1:${port}/api`, "found"],
    ]);
    expect(result.chosen).toMatchObject({ endpoint: `http://127.0.0.1:${port}/api`, mdns: { fallbackFor: [`http://127.0.0.2:${port}/api`] } });
    expect(result.used).toEqual({ stored: true, listed: 1 });
  });
});
