/**
 * install, end to end: the built CLI writes a client entry into a temp HOME, and that entry, started
 * as a client starts it (its command, args and env, plus only HOME), serves MCP against the fixture.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";
import { BIN } from "./harness.js";
import { runCli } from "./run-cli.js";

const TOKEN = "tok_install_Zq41distinctive_value";
let fixture: MemoryServiceFixture;

beforeAll(async () => {
  fixture = await createMemoryServiceFixture({ token: TOKEN });
});
afterAll(async () => {
  await fixture.close();
});

describe("install → the client's entry serves MCP", () => {
  it("the entry written for Claude Desktop starts the local build, finds the token and stores a memory", async () => {
    const temp = mkdtempSync(join(tmpdir(), "bridge-install-e2e-"));
    const env = { HOME: temp, XDG_CONFIG_HOME: join(temp, ".config"), MEMORY_BRIDGE_CONFIG_DIR: join(temp, "bridge"), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(temp, "no-bus")}` };
    mkdirSync(join(temp, ".config", "Claude"), { recursive: true });

    const login = await runCli(["login", fixture.url, "--with-token", "--insecure-storage"], { input: TOKEN, env });
    expect(login.code, login.stderr).toBe(0);
    const install = await runCli(["install", "--client", "all"], { env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain("Claude Desktop: added");
    expect(install.stdout + install.stderr).not.toContain(TOKEN);

    const file = join(temp, ".config", "Claude", "claude_desktop_config.json");
    expect(readFileSync(file, "utf8")).not.toContain(TOKEN);
    const entry = JSON.parse(readFileSync(file, "utf8")).mcpServers.memory as { command: string; args: string[]; env: Record<string, string> };
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([BIN]);
    expect(entry.env).toMatchObject({ MEMORY_BRIDGE_ENDPOINT: fixture.url, MEMORY_BRIDGE_BACKEND: "mcp-memory-service" });

    // As Claude Desktop starts it: the entry's env over a bare one (no shell PATH), from another directory.
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: { HOME: temp, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS, ...entry.env },
      cwd: "/",
      stderr: "pipe",
    });
    const client = new Client({ name: "install-e2e", version: "1.0.0" });
    await client.connect(transport);
    try {
      const status = await client.callTool({ name: "memory_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ endpoint: fixture.url, reachable: true, token_accepted: true, auth: { source: "file" } });
      const stored = await client.callTool({ name: "store_memory", arguments: { content: "installed through the client entry" } });
      expect(stored.isError).toBeFalsy();
      expect(fixture.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
