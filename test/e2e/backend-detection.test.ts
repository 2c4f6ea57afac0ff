/**
 * `--backend auto` on a configured endpoint: the built bridge detects the server behind it in the
 * background and, when the endpoint lacks mcp-memory-service's /api, reports the likely correction
 * in memory_status without switching to it (a token is bound to the exact endpoint).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

let fixture: MemoryServiceFixture;
let bridge: BridgeProcess | undefined;
const repo = makeGitRepo();

beforeAll(async () => {
  fixture = await createMemoryServiceFixture();
});
afterAll(async () => {
  await fixture.close();
});
afterEach(async () => {
  await bridge?.transport.close();
  bridge = undefined;
});

function start(endpoint: string): Promise<BridgeProcess> {
  return startBridge({ env: { MEMORY_BRIDGE_ENDPOINT: endpoint, MEMORY_BRIDGE_TOKEN: fixture.token!, MEMORY_BRIDGE_BACKEND: "auto" }, cwd: repo });
}

describe("backend detection for a configured endpoint", () => {
  it("detects mcp-memory-service and uses it", async () => {
    bridge = await start(fixture.url);
    const status = await bridge.client.callTool({ name: "memory_status", arguments: {} });
    expect(status.structuredContent).toMatchObject({ endpoint: fixture.url, endpoint_source: "env", backend: "mcp-memory-service", reachable: true });
    expect(fixture.requests.some((r) => r.path === "/api/health")).toBe(true);
    const stored = await bridge.client.callTool({ name: "store_memory", arguments: { content: "stored after detection" } });
    expect(stored.isError, textOf(stored)).toBeFalsy();
  });

  it("reports the missing /api as a likely correction, and keeps the configured endpoint", async () => {
    const origin = fixture.url.replace(/\/api$/, "");
    bridge = await start(origin);
    const status = await bridge.client.callTool({ name: "memory_status", arguments: {} });
    const structured = status.structuredContent as { endpoint: string; problems?: string[] };
    expect(structured.endpoint).toBe(origin);
    expect(structured.problems).toContainEqual(expect.stringMatching(new RegExp(`did you mean ${fixture.url.replace(/[.]/g, "\\.")}\\?.*login ${fixture.url.replace(/[.]/g, "\\.")}`)));
  });
});
