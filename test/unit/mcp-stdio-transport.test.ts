import { PassThrough } from "node:stream";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { StdioTransport } from "../../src/mcp/stdio-transport.js";

function setUp(maxMessageBytes = 1024 * 1024) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const logs: string[] = [];
  const transport = new StdioTransport(stdin, stdout, { maxMessageBytes, logger: createLogger({ level: "debug", write: (line) => logs.push(line) }) });
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => received.push(message);
  let out = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const lines = () => out.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdin, stdout, transport, received, lines, logs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("StdioTransport", () => {
  it("an answer that cannot be encoded is replaced by an isError result for the same tools/call id", async () => {
    const { stdin, transport, received, lines, logs } = setUp();
    await transport.start();
    stdin.write('{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"list_memories"}}\n');
    expect(received).toHaveLength(1);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    await transport.send({ jsonrpc: "2.0", id: 11, result: { content: [], structuredContent: deep } });
    expect(lines()).toEqual([
      { jsonrpc: "2.0", id: 11, result: { isError: true, content: [{ type: "text", text: expect.stringMatching(/could not be encoded as JSON/) }] } },
    ]);
    expect(logs.filter((l) => l.includes(" error: "))).toHaveLength(1);
    expect(logs.join("\n")).not.toMatch(/\n\s+at /);
  });

  it("messages sent in one turn go out in one write; drained() waits for them", async () => {
    const { stdout, transport, lines } = setUp();
    await transport.start();
    let writes = 0;
    const write = stdout.write.bind(stdout);
    stdout.write = ((chunk: string) => (writes++, write(chunk))) as typeof stdout.write;
    const sent = [1, 2, 3].map((id) => transport.send({ jsonrpc: "2.0", id, result: {} }));
    const drained = transport.drained();
    await Promise.all([...sent, drained]);
    expect(writes).toBe(1);
    expect(lines().map((l) => l.id)).toEqual([1, 2, 3]);
    await transport.drained(); // nothing pending: resolves at once
  });

  it("an over-long line is answered for its id and the next line is read", async () => {
    const { stdin, transport, received, lines } = setUp(1024 * 1024);
    await transport.start();
    stdin.write(`{"jsonrpc":"2.0","method":"tools/call","params":{"x":"${"z".repeat(2 * 1024 * 1024)}"},"id":"huge"}\n`);
    stdin.write('{"jsonrpc":"2.0","id":"next","method":"ping"}\n');
    await tick();
    await transport.drained();
    expect(lines()).toEqual([{ jsonrpc: "2.0", id: "huge", error: { code: -32600, message: expect.stringMatching(/^Request too large: the message is 2097221 bytes, over the 1048576-byte \(1 MiB\) limit/) } }]);
    expect(received).toEqual([{ jsonrpc: "2.0", id: "next", method: "ping" }]);
  });

  it("end of input: the last line is handled first, then onInputEnd; onclose only on close()", async () => {
    const { stdin, transport, received } = setUp();
    const events: string[] = [];
    transport.onInputEnd = () => events.push(`end after ${received.length}`);
    transport.onclose = () => events.push("close");
    await transport.start();
    stdin.end('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    await new Promise((resolve) => stdin.once("end", resolve));
    expect(events).toEqual(["end after 1"]);
    await transport.close();
    expect(events).toEqual(["end after 1", "close"]);
  });

  it("reads the bin's prelude first, sends no second answer to the initialize it answered, then reads stdin", async () => {
    const { stdin, transport, received, lines, logs } = setUp();
    await transport.start();
    stdin.pause();
    const initialize = '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}';
    const early = '{"result":{"same":true},"jsonrpc":"2.0","id":0}\n';
    transport.readPrelude({ bytes: Buffer.from(`${initialize}\n{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0",`), ended: false, answered: { id: 0, line: early }, takeSignal: () => undefined }, () => false);
    expect(received.map((m) => ("id" in m ? m.id : undefined))).toEqual([0, 1]);
    stdin.write('"id":2,"method":"ping"}\n');
    await tick();
    await tick();
    expect(received.map((m) => ("id" in m ? m.id : undefined))).toEqual([0, 1, 2]);
    await transport.send({ result: { same: true }, jsonrpc: "2.0", id: 0 });
    await transport.send({ jsonrpc: "2.0", id: 1, result: {} });
    await transport.send({ jsonrpc: "2.0", id: 0, result: { again: true } });
    expect(lines()).toEqual([
      { jsonrpc: "2.0", id: 1, result: {} },
      { jsonrpc: "2.0", id: 0, result: { again: true } },
    ]);
    expect(logs.join("\n")).toMatch(/initialize was answered before the server loaded/);
  });

  it("reads no more of stdin after the prelude when the server began to stop meanwhile (a signal during the hand-over)", async () => {
    const { stdin, transport, received } = setUp();
    await transport.start();
    stdin.pause();
    transport.readPrelude({ bytes: Buffer.from('{"jsonrpc":"2.0","id":0,"method":"ping"}\n'), ended: false, takeSignal: () => "SIGTERM" }, () => true);
    stdin.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    await tick();
    await tick();
    expect(received.map((m) => ("id" in m ? m.id : undefined))).toEqual([0]);
    expect(stdin.isPaused()).toBe(true);
  });

  it("says so when the SDK's answer to the early-answered initialize differs, and still sends only one", async () => {
    const { transport, lines, logs } = setUp();
    await transport.start();
    let ended = false;
    transport.onInputEnd = () => (ended = true);
    transport.readPrelude({ bytes: Buffer.from('{"jsonrpc":"2.0","id":"i","method":"initialize","params":{}}'), ended: true, answered: { id: "i", line: "{}\n" }, takeSignal: () => undefined }, () => false);
    expect(ended).toBe(true);
    await transport.send({ jsonrpc: "2.0", id: "i", result: {} });
    expect(lines()).toEqual([]);
    expect(logs.filter((l) => l.includes(" error: ") && l.includes("differs from the server's"))).toHaveLength(1);
  });
});
