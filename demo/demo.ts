// `npm run demo`: the whole product in one command. Starts the fixture memory server on loopback
// with a random token, drives the built bridge over stdio with the MCP SDK's client through every
// tool, and prints each step. Nothing to install, nothing leaves this machine.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createMemoryServiceFixture } from "../test/fixtures/memory-service/index.js";

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

const fixture = await createMemoryServiceFixture();
const configDir = mkdtempSync(join(tmpdir(), "mcp-memory-bridge-demo-"));
console.log(bold("mcp-memory-bridge demo"));
console.log(dim(`fixture mcp-memory-service at ${fixture.url} (auth on, random token)`));

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [resolve("bin/mcp-memory-bridge.js")],
  cwd: process.cwd(),
  env: {
    PATH: process.env.PATH ?? "",
    MEMORY_BRIDGE_ENDPOINT: fixture.url,
    MEMORY_BRIDGE_TOKEN: fixture.token ?? "",
    MEMORY_BRIDGE_CONFIG_DIR: configDir,
  },
  stderr: "inherit",
});
const client = new Client({ name: "mcp-memory-bridge-demo", version: "1.0.0" });
const started = performance.now();
await client.connect(transport);
console.log(dim(`bridge started and initialized in ${(performance.now() - started).toFixed(0)} ms`));

const { tools } = await client.listTools();
console.log(`\n${bold("tools:")} ${tools.map((t) => t.name).join(", ")}`);

let failures = 0;
async function step(title: string, name: string, args: Record<string, unknown> = {}) {
  console.log(`\n${bold(`▶ ${title}`)}  ${dim(`${name} ${JSON.stringify(args)}`)}`);
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");
  console.log(text.replace(/^/gm, "  "));
  if (result.isError && !title.includes("(expected error)")) failures++;
  return result.structuredContent as Record<string, any>;
}

try {
  const first = await step("Store a decision", "store_memory", {
    content: "We chose undici for HTTP because it keeps one keep-alive pool per origin.",
    tags: ["decision", "http"],
    type: "decision",
  });
  await step("Store a preference", "store_memory", {
    content: "The user prefers small commits with messages that say why.",
    tags: ["preference"],
  });
  await step("Store the same decision again (deduplicated)", "store_memory", {
    content: "We chose undici for HTTP because it keeps one keep-alive pool per origin.",
  });
  await step("Search by meaning", "search_memories", { query: "which HTTP library did we pick and why?", limit: 3 });
  await step("List this project's memories", "list_memories", { page_size: 10 });
  await step("Get one memory", "get_memory", { id: first.id });
  await step("Update its tags", "update_memory", { id: first.id, tags: ["decision", "http", "transport"] });
  await step("Delete it", "delete_memory", { id: first.id });
  await step("Delete it again (expected error)", "delete_memory", { id: first.id });
  await step("Connection status", "memory_status");
} finally {
  await client.close();
  await fixture.close();
  rmSync(configDir, { recursive: true, force: true });
}

console.log(`\n${failures === 0 ? bold("✓ demo finished: every step worked") : bold(`✗ ${failures} step(s) failed`)}`);
process.exitCode = failures === 0 ? 0 : 1;
