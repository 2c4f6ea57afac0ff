import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHostileServer, type HostileServer } from "../fixtures/hostile/server.js";
import { RawBridge } from "./raw-stdio.js";

// Issue 7's rows about a client that sends garbage: every request gets exactly one answer, the
// transport keeps reading, and the process exits 0 once everything is answered.

const TOKEN = "tok_input_side_1234567890";
let server: HostileServer;

beforeAll(async () => {
  server = await createHostileServer({
    token: TOKEN,
    records: [{ content: "a memory", content_hash: "a".repeat(64), tags: [], metadata: {}, created_at: 1_700_000_000 }],
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function bridge(env: Record<string, string> = {}): RawBridge {
  return new RawBridge({ env: { MEMORY_BRIDGE_ENDPOINT: server.url, MEMORY_BRIDGE_TOKEN: TOKEN, MEMORY_BRIDGE_PROJECT_MODE: "global", ...env } });
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const toolText = (message: { result?: Record<string, unknown> }) =>
  ((message.result?.content as { text: string }[] | undefined) ?? []).map((c) => c.text).join("\n");

describe("an over-long request line", () => {
  it("11 MB: answered with an error for its id; the call in flight and later calls are answered; exit 0", async () => {
    server.mode = { kind: "slow", delayMs: 800 };
    const b = bridge();
    await b.initialize();
    b.callTool("in-flight", "list_memories");
    await until(() => server.requests.some((r) => r.rawPath.startsWith("/api/memories")), "the in-flight call to reach the server");
    const big = JSON.stringify({ jsonrpc: "2.0", method: "tools/call", params: { name: "store_memory", arguments: { content: "x".repeat(11 * 1024 * 1024) } }, id: "big" });
    b.send(big);
    const refused = await b.response("big");
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toMatch(/over the 4194304-byte \(4 MiB\) limit \(--max-message-bytes, MEMORY_BRIDGE_MAX_MESSAGE_BYTES\)/);
    const inFlight = await b.response("in-flight");
    expect(inFlight.result?.isError, toolText(inFlight)).toBeFalsy();
    b.callTool("after", "list_memories");
    expect((await b.response("after")).result?.isError).toBeFalsy();
    expect(await b.end()).toEqual({ code: 0, signal: null });
    expect(b.stderr).toMatch(/skipped a message longer than --max-message-bytes/);
  });

  it("the limit is a setting", async () => {
    const b = bridge({ MEMORY_BRIDGE_MAX_MESSAGE_BYTES: String(20 * 1024 * 1024) });
    await b.initialize();
    b.callTool("big", "store_memory", { content: "y".repeat(11 * 1024 * 1024) });
    // Read in full and validated: the content limit (100000 characters) answers, not the line limit.
    const answer = await b.response("big");
    expect(toolText(answer)).toMatch(/content is at most 100000 characters/);
    expect(await b.end()).toEqual({ code: 0, signal: null });
  });
});

describe("malformed and invalid lines", () => {
  it("-32700 for a line that is not JSON, -32600 for invalid requests, and an extra member does not drop a request", async () => {
    const b = bridge();
    await b.initialize();
    b.send("this is not json");
    b.send('{"jsonrpc":"2.0","id":"cut","method":"tools/li');
    b.send('{"jsonrpc":"2.0","id":"bad-method","method":42}');
    b.send('{"jsonrpc":"2.0","id":"bad-params","method":"tools/call","params":"text"}');
    b.send('[{"jsonrpc":"2.0","id":"batched","method":"ping"}]');
    b.send({ jsonrpc: "2.0", id: "extra", method: "tools/call", params: { name: "list_memories", arguments: {} }, trace: { span: 1 } });
    b.send({ jsonrpc: "2.0", id: "after", method: "ping" });

    expect((await b.response("extra")).result?.isError).toBeFalsy();
    expect((await b.response("after")).result).toEqual({});
    expect((await b.response("bad-method")).error?.code).toBe(-32600);
    expect((await b.response("bad-params")).error?.code).toBe(-32600);
    const idless = b.messages().filter((m) => m.error !== undefined && m.id === undefined);
    expect(idless.map((m) => m.error!.code).sort()).toEqual([-32700, -32700, -32600].sort());
    expect(b.messages().some((m) => m.id === null)).toBe(false);
    expect(await b.end()).toEqual({ code: 0, signal: null });
    // Every line on stdout was JSON-RPC.
    for (const message of b.messages()) expect(message.jsonrpc).toBe("2.0");
  });

  it("a last request without a trailing newline is answered before the exit", async () => {
    const b = bridge();
    await b.initialize();
    b.child.stdin.write('{"jsonrpc":"2.0","id":"last","method":"tools/call","params":{"name":"list_memories","arguments":{}}}');
    const exit = await b.end();
    expect((await b.response("last", 1)).result?.isError).toBeFalsy();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
