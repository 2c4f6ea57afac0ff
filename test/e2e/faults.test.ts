import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { makeGitRepo } from "./git-repo.js";
import { startBridge, textOf, type BridgeProcess } from "./harness.js";

// Each fault must end in the right outcome: retried to success with exactly one stored record,
// or a clear isError within the deadline — and the bridge still alive afterwards.

let fixture: MemoryServiceFixture;
let bridge: BridgeProcess;
const repo = makeGitRepo();
const TIMEOUT_MS = 1_500;

beforeAll(async () => {
  fixture = await createMemoryServiceFixture();
});
afterAll(async () => {
  await fixture.close();
});
beforeEach(async () => {
  fixture.reset();
  bridge = await startBridge({
    env: { MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_TOKEN: fixture.token!, MEMORY_BRIDGE_TIMEOUT_MS: String(TIMEOUT_MS) },
    cwd: repo,
  });
});
afterEach(async () => {
  await bridge.transport.close();
});

const store = (content: string) => bridge.client.callTool({ name: "store_memory", arguments: { content } });
const storeCalls = () => fixture.requests.filter((r) => r.method === "POST" && r.path === "/api/memories").length;

async function expectAlive() {
  fixture.clearFaults();
  const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(bridge.transport.child.exitCode).toBeNull();
}

describe("faults", () => {
  it("3×503 then OK: retried to success, one record", async () => {
    fixture.inject({ status: 503, times: 3, method: "POST", path: "/memories" });
    const result = await store("survives three 503s");
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(storeCalls()).toBe(4);
    expect(fixture.memories()).toHaveLength(1);
    await expectAlive();
  });

  it("429 with Retry-After: waits as told, then succeeds", async () => {
    fixture.inject({ status: 429, retryAfterSeconds: 1, method: "POST", path: "/memories" });
    const result = await store("after a rate limit");
    expect(result.isError, textOf(result)).toBeFalsy();
    const [first, second] = fixture.requests.filter((r) => r.method === "POST");
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    expect(fixture.memories()).toHaveLength(1);
  });

  it("connection reset before the body was read: retried, one record", async () => {
    fixture.inject({ reset: "before-body", method: "POST", path: "/memories" });
    const result = await store("reset before body");
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ stored: true });
    expect(fixture.memories()).toHaveLength(1);
  });

  it("connection reset after the server stored it: the retry finds its own write, one record", async () => {
    fixture.inject({ reset: "after-body", method: "POST", path: "/memories" });
    const result = await store("reset after body");
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ stored: true, deduplicated: true });
    expect(storeCalls()).toBe(2);
    expect(fixture.memories()).toHaveLength(1);
    await expectAlive();
  });

  it("a reply slower than the deadline: a clear error within the deadline", async () => {
    fixture.inject({ delayMs: 5_000, times: 10, method: "GET", path: "/memories" });
    const started = Date.now();
    const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
    const elapsed = Date.now() - started;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(new RegExp(`${TIMEOUT_MS} ?ms`));
    expect(textOf(result)).toMatch(/--timeout|MEMORY_BRIDGE_TIMEOUT_MS/);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
    await expectAlive();
  });

  it("malformed JSON: a clear error, no crash", async () => {
    fixture.inject({ malformedJson: true, method: "GET", path: "/memories" });
    const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not JSON/i);
    await expectAlive();
  });

  it("a 500 from the server: its own detail in the message, not retried", async () => {
    fixture.inject({ status: 500, body: { detail: "Failed to store memory. Please try again." }, method: "POST", path: "/memories" });
    const result = await store("hits a 500");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("Failed to store memory. Please try again.");
    expect(storeCalls()).toBe(1);
    await expectAlive();
  });

  it("a server that echoes the token in an error body does not get it shown to the client", async () => {
    fixture.inject({ status: 500, body: { detail: `bad request with Authorization: Bearer ${fixture.token}` }, method: "GET", path: "/memories" });
    const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).not.toContain(fixture.token!);
    expect(bridge.transport.stderr).not.toContain(fixture.token!);
  });

  it("server down: says which URL could not be reached, then recovers when it is back", async () => {
    await fixture.stop();
    try {
      const result = await bridge.client.callTool({ name: "list_memories", arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(fixture.url);
      expect(textOf(result)).toMatch(/Cannot reach/);
    } finally {
      await fixture.restart();
    }
    await expectAlive();
  });
});
