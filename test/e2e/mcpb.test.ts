/**
 * The Claude Desktop extension: `scripts/pack-mcpb.mjs` builds mcp-memory-bridge-<version>.mcpb from
 * dist/, the manifest passes `mcpb validate`, and the unpacked bundle, started the way Claude Desktop
 * starts it (${__dirname} and ${user_config.*} substituted, a blank optional field left as its literal
 * placeholder), serves MCP against the fixture.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryServiceFixture, type MemoryServiceFixture } from "../fixtures/memory-service/index.js";

const MCPB = resolve("node_modules/.bin/mcpb");
const TOKEN = "tok_mcpb_Wn63distinctive_value";
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };

let out: string;
let unpacked: string;
let manifest: { server: { mcp_config: { command: string; args: string[]; env: Record<string, string> } }; user_config: Record<string, Record<string, unknown>> };
let fixture: MemoryServiceFixture;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "bridge-mcpb-"));
  const pack = spawnSync(process.execPath, ["scripts/pack-mcpb.mjs", "--out", out], { encoding: "utf8", timeout: 60_000 });
  expect(pack.status, pack.stderr + pack.stdout).toBe(0);
  unpacked = join(out, "unpacked");
  const unpack = spawnSync(MCPB, ["unpack", join(out, `${pkg.name}-${pkg.version}.mcpb`), unpacked], { encoding: "utf8", timeout: 60_000 });
  expect(unpack.status, unpack.stderr).toBe(0);
  manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  fixture = await createMemoryServiceFixture({ token: TOKEN });
}, 120_000);

afterAll(async () => {
  await fixture?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** The server command as Claude Desktop runs it: placeholders for the fields the user filled replaced, the others left as they are. */
function startAsClaudeDesktop(userConfig: Record<string, string>, cwd = "/"): StdioClientTransport {
  const substitute = (text: string) =>
    text.replaceAll("${__dirname}", unpacked).replace(/\$\{user_config\.(\w+)\}/g, (whole, key: string) => userConfig[key] ?? whole);
  const config = manifest.server.mcp_config;
  const env = Object.fromEntries(Object.entries(config.env).map(([key, value]) => [key, substitute(value)]));
  return new StdioClientTransport({
    command: config.command === "node" ? process.execPath : config.command,
    args: config.args.map(substitute),
    env: { HOME: out, MEMORY_BRIDGE_CONFIG_DIR: join(out, "config"), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(out, "no-bus")}`, ...env },
    cwd,
    stderr: "pipe",
  });
}

describe("the .mcpb extension", () => {
  it("is named after the version, validates, and carries the server without source maps", () => {
    expect(spawnSync(MCPB, ["validate", join(unpacked, "manifest.json")], { encoding: "utf8" }).status).toBe(0);
    expect(existsSync(join(unpacked, "server", "bin", "mcp-memory-bridge.js"))).toBe(true);
    expect(existsSync(join(unpacked, "server", "dist", "cli.js"))).toBe(true);
    const files = readdirSync(join(unpacked, "server", "dist"), { recursive: true }) as string[];
    expect(files.some((file) => file.endsWith(".map"))).toBe(false);
  });

  it("asks for endpoint, backend, project mode and a sensitive token passed as MEMORY_BRIDGE_TOKEN", () => {
    expect(Object.keys(manifest.user_config).sort()).toEqual(["backend", "endpoint", "project_mode", "token"]);
    expect(manifest.user_config.endpoint).toMatchObject({ type: "string", required: true });
    expect(manifest.user_config.token).toMatchObject({ type: "string", sensitive: true, required: false, default: "" });
    for (const optional of ["backend", "project_mode"]) expect(manifest.user_config[optional]).toMatchObject({ required: false, default: "" });
    expect(manifest.server.mcp_config.env).toEqual({
      MEMORY_BRIDGE_ENDPOINT: "${user_config.endpoint}",
      MEMORY_BRIDGE_BACKEND: "${user_config.backend}",
      MEMORY_BRIDGE_PROJECT_MODE: "${user_config.project_mode}",
      MEMORY_BRIDGE_TOKEN: "${user_config.token}",
    });
  });

  it("runs as Claude Desktop starts it, with the token from the sensitive field", async () => {
    const client = new Client({ name: "mcpb-e2e", version: "1.0.0" });
    await client.connect(startAsClaudeDesktop({ endpoint: fixture.url, token: TOKEN, backend: "", project_mode: "global" }));
    try {
      const status = await client.callTool({ name: "memory_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ endpoint: fixture.url, token_accepted: true, auth: { source: "env" }, project: { mode: "global" } });
    } finally {
      await client.close();
    }
  });

  it("blank optional fields arrive as literal ${user_config.x} and count as unset, not as a token or a setting", async () => {
    const client = new Client({ name: "mcpb-e2e", version: "1.0.0" });
    // Started in a folder that can be a project, so an ignored project-mode placeholder shows as auto.
    await client.connect(startAsClaudeDesktop({ endpoint: fixture.url }, unpacked));
    try {
      const status = await client.callTool({ name: "memory_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ endpoint: fixture.url, reachable: true, auth: { source: "none" }, project: { mode: "auto" } });
      expect(fixture.requests.some((request) => JSON.stringify(request.headers).includes("user_config"))).toBe(false);
    } finally {
      await client.close();
    }
  });
});
