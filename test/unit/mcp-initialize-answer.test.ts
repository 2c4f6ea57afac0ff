/**
 * The bin answers `initialize` itself before the SDK loads (src/serve-start.ts). Its answer must be
 * the one serve's SDK server writes, byte for byte, for every protocol version the SDK supports and
 * every request shape it accepts; anything it is unsure of is left to the SDK.
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { serveCommand } from "../../src/commands/serve-command.js";
import { earlyInitializeAnswer, SUPPORTED_PROTOCOL_VERSIONS } from "../../src/mcp/initialize-answer.js";
import { runDirect, tempMachine } from "../helpers/command-io.js";

/** serve (the SDK's server, no early answer) given one line: what it writes to stdout. */
async function sdkAnswer(line: string): Promise<string> {
  const { home, env } = tempMachine();
  const run = await runDirect(serveCommand, [], { input: `${line}\n`, env: { ...env, MEMORY_BRIDGE_ENDPOINT: "http://127.0.0.1:9" }, host: { home } });
  expect(run.code).toBe(0);
  return run.stdout;
}

const request = (params: unknown, id: unknown = 1) => JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params });
const plain = (protocolVersion: string, capabilities: unknown = {}) => ({ protocolVersion, capabilities, clientInfo: { name: "unit", version: "1.0.0" } });

describe("the early initialize answer", () => {
  it("knows the SDK's protocol versions, newest first", () => {
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_VERSIONS);
    expect(SUPPORTED_PROTOCOL_VERSIONS[0]).toBe(LATEST_PROTOCOL_VERSION);
  });

  it.each([...SDK_VERSIONS, "2099-01-01", "1.0", ""])("is the SDK server's answer, byte for byte, for protocol version %j", async (version) => {
    const line = request(plain(version));
    const early = earlyInitializeAnswer(line);
    expect(early?.line).toBe(await sdkAnswer(line));
    expect(JSON.parse(early!.line).result.protocolVersion).toBe(SDK_VERSIONS.includes(version) ? version : LATEST_PROTOCOL_VERSION);
  });

  it.each([
    ["roots with listChanged", request(plain("2025-06-18", { roots: { listChanged: true } }))],
    ["every capability the SDK knows", request(plain("2025-11-25", { sampling: { context: {}, tools: {} }, elicitation: { form: { applyDefaults: true }, url: {} }, experimental: { x: {} }, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } }, extensions: { "a/b": {} } }))],
    ["an empty elicitation", request(plain("2025-06-18", { elicitation: {} }))],
    ["a capability the SDK does not know", request(plain("2025-06-18", { future: { deep: { er: {} } } }))],
    ["a client title", request({ protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", title: "Client", version: "2" } })],
    ["a string id", request(plain("2025-06-18"), "init-1")],
    ["id 0", request(plain("2025-03-26"), 0)],
    ["a large integer id", request(plain("2024-11-05"), 9007199254740991)],
  ])("is the SDK server's answer for %s", async (_name, line) => {
    const early = earlyInitializeAnswer(line);
    expect(early).toBeDefined();
    expect(early?.line).toBe(await sdkAnswer(line));
  });

  it.each([
    ["not JSON", "{"],
    ["another method", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })],
    ["a notification", JSON.stringify({ jsonrpc: "2.0", method: "initialize", params: plain("2025-06-18") })],
    ["JSON-RPC 1.0", JSON.stringify({ jsonrpc: "1.0", id: 1, method: "initialize", params: plain("2025-06-18") })],
    ["a fractional id", request(plain("2025-06-18"), 1.5)],
    ["a null id", request(plain("2025-06-18"), null)],
    // JSON.parse rounds it, and the intake (like the SDK's schema) refuses an id past 2^53 − 1.
    ["an integer id too large to be exact", request(plain("2025-06-18"), 1).replace('"id":1', '"id":9007199254740993')],
    ["a member JSON-RPC does not define", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: plain("2025-06-18"), extra: 1 })],
    ["no params", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize" })],
    ["_meta", request({ ...plain("2025-06-18"), _meta: { progressToken: 1 } })],
    ["a numeric protocol version", request(plain("2025-06-18"), 1).replace('"2025-06-18"', "20250618")],
    ["clientInfo without a version", request({ protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c" } })],
    ["clientInfo with icons", request({ protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1", icons: [] } })],
    ["roots.listChanged not a boolean", request(plain("2025-06-18", { roots: { listChanged: "yes" } }))],
    ["a capability that is not an object", request(plain("2025-06-18", { sampling: true }))],
    ["applyDefaults not a boolean", request(plain("2025-06-18", { elicitation: { form: { applyDefaults: 1 } } }))],
    ["capabilities missing", request({ protocolVersion: "2025-06-18", clientInfo: { name: "c", version: "1" } })],
  ])("is left to the SDK for %s", (_name, line) => {
    expect(earlyInitializeAnswer(line)).toBeUndefined();
  });
});
