import { describe, expect, it } from "vitest";
import { readLine } from "../../src/mcp/jsonrpc-intake.js";
import { serializeSafely } from "../../src/mcp/safe-serialize.js";

describe("readLine", () => {
  it("a request passes through as it is", () => {
    const line = '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}';
    expect(readLine(line)).toEqual({ kind: "message", message: JSON.parse(line) });
  });

  it("members JSON-RPC does not define are left out, not a reason to drop the request", () => {
    const result = readLine('{"jsonrpc":"2.0","id":2,"method":"ping","trace":"abc","extra":{}}');
    expect(result).toEqual({ kind: "message", message: { jsonrpc: "2.0", id: 2, method: "ping" }, ignored: ["trace", "extra"] });
  });

  it("a line that is not JSON: -32700 without an id", () => {
    expect(readLine('{"jsonrpc":"2.0","id":3,"method":')).toMatchObject({
      kind: "reply",
      reply: { jsonrpc: "2.0", error: { code: -32700, message: expect.stringMatching(/^Parse error/) } },
    });
    expect((readLine("garbage") as { reply: object }).reply).not.toHaveProperty("id");
  });

  it.each([
    ['{"jsonrpc":"2.0","id":4,"method":5}', 4],
    ['{"jsonrpc":"1.0","id":"x","method":"ping"}', "x"],
    ['{"jsonrpc":"2.0","id":6,"method":"tools/call","params":"text"}', 6],
    ['{"jsonrpc":"2.0","id":7}', 7],
    ['{"jsonrpc":"2.0","id":null,"method":"ping"}', undefined],
    ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', undefined],
    ["[1,2]", undefined],
    ['"just a string"', undefined],
  ] as const)("an invalid request %s: -32600 with id %o", (line, id) => {
    const result = readLine(line);
    expect(result.kind).toBe("reply");
    const reply = (result as { reply: { id?: unknown; error: { code: number; message: string } } }).reply;
    expect(reply.error.code).toBe(-32600);
    expect(reply.error.message).toMatch(/^Invalid Request: /);
    expect(reply.id).toEqual(id);
    if (id === undefined) expect(reply).not.toHaveProperty("id");
  });

  it("a broken response to one of the server's requests is dropped, not answered", () => {
    expect(readLine('{"jsonrpc":"2.0","id":9,"result":"not an object"}')).toMatchObject({ kind: "drop" });
  });
});

describe("serializeSafely", () => {
  const deep = () => {
    let value: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) value = { a: value };
    return value;
  };

  it("an ordinary message is one line", () => {
    expect(serializeSafely({ jsonrpc: "2.0", id: 1, result: {} }, "ping")).toEqual({ line: '{"jsonrpc":"2.0","id":1,"result":{}}\n' });
  });

  it("an unencodable tools/call answer becomes an isError result for the same id", () => {
    const out = serializeSafely({ jsonrpc: "2.0", id: 8, result: { structuredContent: deep(), content: [] } }, "tools/call");
    expect(out.problem).toBe("a value in it is nested too deeply");
    const reply = JSON.parse(out.line);
    expect(reply).toMatchObject({ jsonrpc: "2.0", id: 8, result: { isError: true } });
    expect(reply.result.content[0].text).toMatch(/^The answer could not be encoded as JSON \(a value in it is nested too deeply\)/);
  });

  it("for any other method it becomes a JSON-RPC internal error", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const reply = JSON.parse(serializeSafely({ jsonrpc: "2.0", id: "r", result: { cyclic } }, "tools/list").line);
    expect(reply).toMatchObject({ jsonrpc: "2.0", id: "r", error: { code: -32603 } });
  });
});
