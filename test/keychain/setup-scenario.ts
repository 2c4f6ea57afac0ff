// Runs INSIDE test/keychain/with-secret-service.sh (unlocked mode): `setup --endpoint URL
// --with-token --client claude-desktop` with the real Secret Service, then the entry it wrote,
// started as Claude Desktop starts it. Prints one JSON line of observations;
// test/e2e/setup-keychain.test.ts asserts on it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createMemoryServiceFixture } from "../fixtures/memory-service/index.js";

const TOKEN = "tok_setup_keychain_Vn62distinctive";
const BIN = resolve("bin/mcp-memory-bridge.js");
const home = process.env.HOME!;
const sandbox = process.env.MEMORY_BRIDGE_TEST_SANDBOX_DIR!;

function cli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: process.env, cwd: home, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Every readable file of the sandbox (home, config, data, cache) that holds the token. */
function filesHolding(dir: string, needle: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return filesHolding(full, needle);
    if (!entry.isFile()) return [];
    try {
      return readFileSync(full).includes(needle) ? [full] : [];
    } catch {
      return [];
    }
  });
}

const fixture = await createMemoryServiceFixture({ token: TOKEN });
const out: Record<string, unknown> = { endpoint: fixture.url };
try {
  const desktopDir = join(process.env.XDG_CONFIG_HOME!, "Claude");
  mkdirSync(desktopDir, { recursive: true });
  out.setup = await cli(["setup", "--endpoint", fixture.url, "--with-token", "--client", "claude-desktop"], `${TOKEN}\n`);
  out.items = `${spawnSync("secret-tool", ["search", "--all", "service", "mcp-memory-bridge"], { encoding: "utf8", timeout: 10_000 }).stderr ?? ""}`;
  // gnome-keyring's own store is encrypted: a plain copy of the token in any file is a leak.
  out.filesWithToken = filesHolding(sandbox, TOKEN);

  const entry = JSON.parse(readFileSync(join(desktopDir, "claude_desktop_config.json"), "utf8")).mcpServers.memory as { command: string; args: string[]; env: Record<string, string> };
  out.entry = entry;
  // As Claude Desktop starts it: the entry's env over a bare one (no shell PATH), from another directory.
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? "", XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "", ...entry.env },
    cwd: "/",
    stderr: "pipe",
  });
  const client = new Client({ name: "setup-scenario", version: "1.0.0" });
  await client.connect(transport);
  try {
    out.memoryStatus = (await client.callTool({ name: "memory_status", arguments: {} })).structuredContent;
    out.stored = await client.callTool({ name: "store_memory", arguments: { content: "stored through the entry setup wrote" } });
  } finally {
    await client.close();
  }
  out.authorizationHeaders = [...new Set(fixture.requests.map((r) => r.headers.authorization).filter(Boolean))];
} finally {
  await fixture.close();
}
process.stdout.write(`${JSON.stringify({ ...out, token: TOKEN })}\n`);
