/**
 * `--backend auto` on a configured endpoint: the built bridge detects the server behind it in the
 * background and, when the endpoint lacks mcp-memory-service's /api, reports the likely correction
 * in memory_status without switching to it (a token is bound to the exact endpoint).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMem0Fixture } from "../fixtures/mem0/index.js";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";
import { runCli } from "./run-cli.js";

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

  it("the first tools/list already has the detected server's tools: mem0's history and text updates, not mcp-memory-service's", async () => {
    const mem0 = await createMem0Fixture({ generation: "B" });
    try {
      bridge = await startBridge({ env: { MEMORY_BRIDGE_ENDPOINT: mem0.url, MEMORY_BRIDGE_TOKEN: mem0.adminKey!, MEMORY_BRIDGE_BACKEND: "auto" }, cwd: repo });
      const { tools } = await bridge.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("memory_history");
      const update = tools.find((tool) => tool.name === "update_memory");
      expect(Object.keys(update?.inputSchema.properties ?? {})).toContain("content");
      const stored = await bridge.client.callTool({ name: "store_memory", arguments: { content: "Detected servers get their own tools." } });
      expect(stored.isError, textOf(stored)).toBeFalsy();
      expect(mem0.requests.some((r) => r.path === "/openapi.json")).toBe(true);
    } finally {
      await bridge?.transport.close();
      bridge = undefined;
      await mem0.close();
    }
  });

  it("mcp-memory-service detected with --backend auto: no memory_history, and update_memory offers no content", async () => {
    bridge = await start(fixture.url);
    const { tools } = await bridge.client.listTools();
    expect(tools.map((tool) => tool.name)).not.toContain("memory_history");
    const update = tools.find((tool) => tool.name === "update_memory");
    expect(Object.keys(update?.inputSchema.properties ?? {})).not.toContain("content");
  });

  it("reports the missing /api as a likely correction, and keeps the configured endpoint", async () => {
    const origin = fixture.url.replace(/\/api$/, "");
    bridge = await start(origin);
    const status = await bridge.client.callTool({ name: "memory_status", arguments: {} });
    const structured = status.structuredContent as { endpoint: string; problems?: string[] };
    expect(structured.endpoint).toBe(origin);
    expect(structured.problems).toContainEqual(expect.stringMatching(new RegExp(`did you mean ${fixture.url.replace(/[.]/g, "\\.")}\\?.*login ${fixture.url.replace(/[.]/g, "\\.")}`)));
  });

  it("login to the server's origin offers the URL its API answers at, stores nothing, and the offered command works", async () => {
    const origin = fixture.url.replace(/\/api$/, "");
    const wrong = await runCli(["login", origin, "--with-token", "--insecure-storage"], { input: fixture.token! });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Did you mean ${fixture.url}?`);
    const offered = /Run: (.+)$/m.exec(wrong.stderr)?.[1];
    expect(offered).toMatch(new RegExp(`login ${fixture.url.replace(/[.]/g, "\\.")}$`));
    expect(wrong.stdout + wrong.stderr).not.toContain(fixture.token!);
    const args = offered!.split(" ").slice(offered!.split(" ").indexOf("login"));
    const right = await runCli([...args, "--with-token", "--insecure-storage"], { input: fixture.token! });
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toContain(`Saved ${fixture.url} as the default endpoint`);
  });
});

