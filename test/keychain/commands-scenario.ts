// Runs INSIDE test/keychain/with-secret-service.sh (unlocked mode): the CLI's login → serve →
// logout against the fixture with the real Secret Service, with one keychain backend forced.
// Prints one JSON line of observations; test/e2e/keychain-commands.test.ts asserts on it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { createMemoryServiceFixture } from "../fixtures/memory-service/index.js";

/** keytar or keyring forces one module; "auto" uses both, as a normal install does. */
const backend = process.argv[2] ?? "keytar";
const TOKEN = `tok_keychain_${backend}_Zx81distinctive`;
const BIN = resolve("bin/mcp-memory-bridge.js");
const env = { ...process.env, MEMORY_BRIDGE_KEYCHAIN_BACKEND: backend, MEMORY_BRIDGE_LOG_LEVEL: "debug" };

/** Async, never spawnSync: the fixture answers from this same event loop. */
function cli(args: string[], input = "", extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** What secret-tool sees (it prints attributes on stderr, the rest on stdout). */
function secretToolItems(): string {
  const run = spawnSync("secret-tool", ["search", "--all", "service", "mcp-memory-bridge"], { encoding: "utf8", timeout: 10_000 });
  return `${run.stdout ?? ""}${run.stderr ?? ""}`;
}

const fixture = await createMemoryServiceFixture({ token: TOKEN });
const out: Record<string, unknown> = { backend };
try {
  out.login = await cli(["login", fixture.url, "--with-token"], `${TOKEN}\n`);
  out.itemsAfterLogin = secretToolItems();

  // Started as an MCP client starts it: no token in its environment, only the keychain.
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? "",
      MEMORY_BRIDGE_CONFIG_DIR: process.env.MEMORY_BRIDGE_CONFIG_DIR ?? "",
      MEMORY_BRIDGE_KEYCHAIN_BACKEND: backend,
      MEMORY_BRIDGE_LOG_LEVEL: "debug",
    },
    stderr: "pipe",
  });
  let serveStderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (serveStderr += chunk.toString("utf8")));
  const client = new Client({ name: "keychain-scenario", version: "1.0.0" });
  await client.connect(transport);
  out.memoryStatus = (await client.callTool({ name: "memory_status", arguments: {} })).structuredContent;
  out.list = await client.callTool({ name: "list_memories", arguments: {} });
  await client.close();
  out.serveStderr = serveStderr;
  out.authorizationHeaders = [...new Set(fixture.requests.map((r) => r.headers.authorization).filter(Boolean))];

  out.status = await cli(["status", "--json"]);
  if (backend === "auto") {
    // Stored through both modules, so a run that can load only one still finds it.
    out.statusKeytarOnly = await cli(["status", "--json"], "", { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "keytar" });
    out.statusKeyringOnly = await cli(["status", "--json"], "", { MEMORY_BRIDGE_KEYCHAIN_BACKEND: "keyring" });
  }
  out.doctor = await cli(["doctor"]);
  out.logout = await cli(["logout"]);
  out.itemsAfterLogout = secretToolItems();
  out.logoutAgain = await cli(["logout"]);
} finally {
  await fixture.close();
}
process.stdout.write(`${JSON.stringify({ ...out, token: TOKEN })}\n`);
