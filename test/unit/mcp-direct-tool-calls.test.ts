import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { answerToolCallsDirectly } from "../../src/mcp/direct-tool-calls.js";
import type { ToolCall } from "../../src/mcp/server.js";

interface Harness {
  transport: Transport;
  /** What reached the SDK (the previous onmessage). */
  passedOn: JSONRPCMessage[];
  sent: JSONRPCMessage[];
  runs: { args: Record<string, unknown>; signal: AbortSignal; finish: (result: CallToolResult) => void; fail: (error: unknown) => void }[];
  closed: () => boolean;
  receive: (message: JSONRPCMessage) => void;
}

function harness(): Harness {
  const passedOn: JSONRPCMessage[] = [];
  const sent: JSONRPCMessage[] = [];
  const runs: Harness["runs"] = [];
  let closed = false;
  const transport: Transport = {
    start: async () => undefined,
    close: async () => undefined,
    send: async (message) => void sent.push(message),
    onmessage: (message) => void passedOn.push(message),
    onclose: () => void (closed = true),
  };
  const search: ToolCall = {
    input: z.object({ query: z.string().min(1), limit: z.number().default(10) }) as unknown as ToolCall["input"],
    run: (args, signal) => new Promise((finish, fail) => runs.push({ args, signal, finish, fail })),
  };
  const status: ToolCall = { input: z.object({}) as unknown as ToolCall["input"], run: search.run };
  // A schema whose check throws (as an async refine would in safeParse): the SDK then answers the call.
  const throwing: ToolCall = { input: z.object({}).refine(async () => true) as unknown as ToolCall["input"], run: search.run };
  const tools: Record<string, ToolCall> = { search_memories: search, memory_status: status, throwing_check: throwing };
  answerToolCallsDirectly(transport, (name) => tools[name]);
  return { transport, passedOn, sent, runs, closed: () => closed, receive: (message) => transport.onmessage?.(message) };
}

const call = (id: number, params: Record<string, unknown>): JSONRPCMessage => ({ jsonrpc: "2.0", id, method: "tools/call", params });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const OK: CallToolResult = { content: [{ type: "text", text: "1 memory" }], structuredContent: { results: [], project: null } };

describe("answerToolCallsDirectly", () => {
  it("runs a tool on offer with its parsed arguments (defaults applied) and sends the SDK's reply shape", async () => {
    const h = harness();
    h.receive(call(7, { name: "search_memories", arguments: { query: "q", ignored: true } }));
    await tick();
    expect(h.passedOn).toEqual([]);
    expect(h.runs.map((r) => r.args)).toEqual([{ query: "q", limit: 10 }]);
    h.runs[0]!.finish(OK);
    await tick();
    expect(h.sent).toEqual([{ result: OK, jsonrpc: "2.0", id: 7 }]);
    expect(Object.keys(h.sent[0]!)).toEqual(["result", "jsonrpc", "id"]);
  });

  it("hands the SDK whatever it does not answer itself: bad arguments, an unknown tool, tasks, _meta, other methods", async () => {
    const h = harness();
    const others: JSONRPCMessage[] = [
      call(1, { name: "search_memories", arguments: { query: "" } }),
      call(2, { name: "search_memories", arguments: ["q"] }),
      call(7, { name: "memory_status", arguments: null }),
      call(8, { name: "throwing_check", arguments: {} }),
      call(3, { name: "no_such_tool", arguments: {} }),
      call(4, { name: "search_memories", arguments: { query: "q" }, task: { ttl: 1000 } }),
      call(5, { name: "search_memories", arguments: { query: "q" }, _meta: { progressToken: 1 } }),
      { jsonrpc: "2.0", id: 6, method: "tools/list", params: {} },
      { jsonrpc: "2.0", method: "notifications/initialized" },
    ];
    for (const message of others) h.receive(message);
    await tick();
    expect(h.passedOn).toEqual(others);
    expect(h.runs).toEqual([]);
  });

  it("starts the tool only after the handlers of earlier messages the SDK runs in a microtask (initialized, roots changed)", async () => {
    const h = harness();
    const order: string[] = [];
    const before = h.transport.onmessage!;
    h.transport.onmessage = (message, extra) => {
      if ("method" in message && message.method === "notifications/initialized") queueMicrotask(() => order.push("initialized handled"));
      before(message, extra);
    };
    h.receive({ jsonrpc: "2.0", method: "notifications/initialized" });
    h.receive(call(1, { name: "search_memories", arguments: { query: "q" } }));
    order.push(`runs started synchronously: ${h.runs.length}`);
    await tick();
    order.push(`runs: ${h.runs.length}`);
    expect(order).toEqual(["runs started synchronously: 0", "initialized handled", "runs: 1"]);
  });

  it("a cancelled call has its signal aborted with the client's reason and gets no reply; the notification reaches the SDK too", async () => {
    const h = harness();
    h.receive(call(9, { name: "search_memories", arguments: { query: "q" } }));
    await tick();
    const cancel: JSONRPCMessage = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9, reason: "user pressed stop" } };
    h.receive(cancel);
    const run = h.runs[0]!;
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBe("user pressed stop");
    run.finish({ content: [{ type: "text", text: "cancelled" }], isError: true });
    await tick();
    expect(h.sent).toEqual([]);
    expect(h.passedOn).toEqual([cancel]);
  });

  it("a tool that throws is answered with an isError result naming the failure, as the SDK does", async () => {
    const h = harness();
    h.receive(call(3, { name: "search_memories", arguments: { query: "q" } }));
    await tick();
    h.runs[0]!.fail(new Error("boom"));
    await tick();
    expect(h.sent).toEqual([{ result: { content: [{ type: "text", text: "boom" }], isError: true }, jsonrpc: "2.0", id: 3 }]);
  });

  it("closing the transport aborts the calls still running and calls the SDK's onclose", async () => {
    const h = harness();
    h.receive(call(4, { name: "search_memories", arguments: { query: "q" } }));
    await tick();
    h.transport.onclose?.();
    expect(h.runs[0]!.signal.aborted).toBe(true);
    expect(h.closed()).toBe(true);
  });

  it("a second request with the id of one still running goes to the SDK, not over the first", async () => {
    const h = harness();
    h.receive(call(5, { name: "search_memories", arguments: { query: "first" } }));
    const again = call(5, { name: "search_memories", arguments: { query: "second" } });
    h.receive(again);
    await tick();
    expect(h.runs.map((r) => r.args.query)).toEqual(["first"]);
    expect(h.passedOn).toEqual([again]);
  });
});
