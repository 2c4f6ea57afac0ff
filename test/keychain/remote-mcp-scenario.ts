// Runs INSIDE test/keychain/with-secret-service.sh (unlocked mode): login for the Mem0 MCP fixture
// stores the token in the real Secret Service, then serve (started with no token in its
// environment, as an MCP client starts it) proxies with it. Prints one JSON line of observations;
// test/e2e/remote-mcp.test.ts asserts on it.
import { resolve } from "node:path";
import { startMem0McpFixture } from "../fixtures/mem0-mcp/index.js";
import { connectServe, runCli } from "./scenario-cli.js";

const TOKEN = "mcp_keychain_" + "Rm0te".repeat(5);
const BIN = resolve("bin/mcp-memory-bridge.js");
const env = { ...process.env, MEMORY_BRIDGE_LOG_LEVEL: "debug" };

const fixture = await startMem0McpFixture({ tokens: { [TOKEN]: { userId: "alice" } } });
const out: Record<string, unknown> = {};
try {
  out.rejected = await runCli(BIN, env, ["login", fixture.url, "--with-token", "--user-id", "alice"], "mcp_not_the_token_at_all\n");
  out.login = await runCli(BIN, env, ["login", fixture.url, "--with-token", "--user-id", "alice", "--header", "X-Team: blue"], `${TOKEN}\n`);
  const servedFrom = fixture.requests.length;
  const { client, stderr } = await connectServe(BIN, "remote-mcp-keychain-scenario");
  out.tools = (await client.listTools()).tools.length;
  out.call = await client.callTool({ name: "get_all_coding_preferences", arguments: {} });
  out.memoryStatus = (await client.callTool({ name: "memory_status", arguments: {} })).structuredContent;
  await client.close();
  out.serveStderr = stderr();
  out.toolCallHeaders = fixture.requests
    .slice(servedFrom)
    .filter((r) => r.rpc.includes("tools/call"))
    .map((r) => ({ token: r.headers["x-mcp-token"], user: r.headers["x-mcp-userid"], team: r.headers["x-team"] }));
  out.status = await runCli(BIN, env, ["status", "--json"]);
} finally {
  await fixture.close();
}
process.stdout.write(`${JSON.stringify({ ...out, token: TOKEN })}\n`);
