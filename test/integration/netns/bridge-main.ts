/**
 * The built bridge (dist/, through bin/) inside the test's network namespace, as an MCP client
 * starts it: no endpoint configured, discovery on. Argument: JSON `{ configDir, mode, remembered? }`.
 * mode "serve": initialize, tools/list, memory_status, then store_memory and list_memories;
 * mode "discover": `discover --json`. `remembered` is written into the discovery cache first (an
 * endpoint remembered from an earlier start). Prints `BRIDGE_RESULT {…}`.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { rememberEndpoint } from "../../../src/discovery/cache.js";
import { readDiscoveryCache, updateDiscoveryCache } from "../../../src/discovery/cache-file.js";
import { assertOnlyLoopback } from "../../fixtures/mdns-advertiser.js";

interface Spec {
  configDir: string;
  mode: "serve" | "discover";
  remembered?: string;
}

assertOnlyLoopback();
const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
const BIN = resolve("bin/mcp-memory-bridge.js");
const cacheFile = join(spec.configDir, "discovery-cache.json");
const env = {
  PATH: process.env.PATH ?? "",
  HOME: spec.configDir,
  MEMORY_BRIDGE_CONFIG_DIR: spec.configDir,
  DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent",
  MEMORY_BRIDGE_LOG_LEVEL: "debug",
};
if (spec.remembered !== undefined) await updateDiscoveryCache(cacheFile, (c) => rememberEndpoint(c, spec.remembered!, Date.now()));

function texts(result: unknown): string {
  return ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text ?? "").join("\n");
}

let result: Record<string, unknown>;
if (spec.mode === "discover") {
  result = await new Promise((done) => {
    const child = spawn(process.execPath, [BIN, "discover", "--json"], { env, cwd: spec.configDir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("exit", (code) => done({ code, stdout, stderr: stderr.slice(-4000) }));
  });
} else {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], env, cwd: spec.configDir, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "netns-bridge", version: "1.0.0" });
  await client.connect(transport);
  // Whether discovery had already ended when initialize was answered (it must not have been waited for).
  const discoveryDoneAtInitialize = /found a memory server|no memory server found/.test(stderr);
  const tools = (await client.listTools()).tools.map((t) => t.name);
  const status = (await client.callTool({ name: "memory_status", arguments: {} })).structuredContent;
  const stored = await client.callTool({ name: "store_memory", arguments: { content: "found by the bridge through mDNS", tags: ["netns"] } });
  const listed = await client.callTool({ name: "list_memories", arguments: {} });
  await client.close();
  result = {
    discoveryDoneAtInitialize,
    tools,
    status,
    stored: { isError: stored.isError === true, text: texts(stored) },
    listed: { isError: listed.isError === true, total: (listed.structuredContent as { total?: unknown } | undefined)?.total },
    stderr: stderr.slice(-4000),
  };
}
result.rememberedAfter = (await readDiscoveryCache(cacheFile)).cache.remembered?.endpoint;
process.stdout.write(`BRIDGE_RESULT ${JSON.stringify(result)}\n`);
