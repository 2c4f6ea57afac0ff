import { PassThrough } from "node:stream";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { loadHttpClient } from "../../src/http/load-client.js";
import { fakeHost } from "../helpers/fake-host.js";
import { fakeKeychain } from "../helpers/fake-keychain.js";
import pkg from "../../package.json" with { type: "json" };

function io(argv: string[], env: Record<string, string> = {}, tty = false) {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const configDir = mkdtempSync(join(tmpdir(), "bridge-cli-"));
  const ctx = { argv, env: { MEMORY_BRIDGE_CONFIG_DIR: configDir, ...env }, cwd: configDir, stdin, stdout, stderr, host: fakeHost({ home: configDir }), keychain: fakeKeychain().open, http: loadHttpClient };
  return { ctx, stdin, out: () => out, err: () => err };
}

describe("cli", () => {
  it("--version prints the package version", async () => {
    const t = io(["--version"]);
    expect(await runCli(t.ctx)).toBe(0);
    expect(t.out()).toBe(`${pkg.version}\n`);
  });

  it("--help lists every command on one line each and says where each command's options are", async () => {
    const t = io(["--help"]);
    expect(await runCli(t.ctx)).toBe(0);
    const commands = t.out().split("Commands:\n")[1]!.split("\n\n")[0]!.split("\n");
    expect(commands.map((line) => line.trim().split(/\s+/)[0])).toEqual(["serve", "setup", "login", "logout", "status", "doctor", "discover", "project", "install", "uninstall"]);
    expect(t.out()).toMatch(/^Usage: node \/work\/checkout\/bin\/mcp-memory-bridge\.js \[command\] \[options\]$/m);
    expect(t.out()).toContain("Run `node /work/checkout/bin/mcp-memory-bridge.js <command> --help` for what a command does, its options and examples");
    // Options belong to the commands that take them.
    expect(t.out()).not.toMatch(/--endpoint|--timeout|--log-level/);
  });

  it("serve --help explains what serve does", async () => {
    const t = io(["serve", "--help"]);
    expect(await runCli(t.ctx)).toBe(0);
    expect(t.out()).toMatch(/Speaks MCP over stdin\/stdout/);
  });

  it("an unknown command is a usage error (exit 2) that points at --help", async () => {
    const t = io(["frobnicate"]);
    expect(await runCli(t.ctx)).toBe(2);
    expect(t.err()).toMatch(/Unknown command "frobnicate".*--help/);
  });

  it("an invalid flag value is a usage error (exit 2) that names the flag", async () => {
    const t = io(["project", "--project-mode", "sideways"]);
    expect(await runCli(t.ctx)).toBe(2);
    expect(t.err()).toMatch(/--project-mode "sideways"/);
  });

  it("an invalid setting from the environment is a fixable failure (exit 1)", async () => {
    const t = io(["project"], { MEMORY_BRIDGE_PROJECT_MODE: "sideways" });
    expect(await runCli(t.ctx)).toBe(1);
    expect(t.err()).toMatch(/MEMORY_BRIDGE_PROJECT_MODE "sideways"/);
  });

  it("flags may come before the command, and stray arguments are usage errors", async () => {
    const before = io(["--project-mode", "global", "project", "--json"]);
    expect(await runCli(before.ctx)).toBe(0);
    expect(JSON.parse(before.out())).toMatchObject({ mode: "global" });
    const stray = io(["project", "/some/dir"]);
    expect(await runCli(stray.ctx)).toBe(2);
    expect(stray.err()).toMatch(/Unexpected argument "\/some\/dir" for project/);
    const badUrl = io(["logout", "ftp://example.com"]);
    expect(await runCli(badUrl.ctx)).toBe(2);
  });

  it("an unknown flag is a usage error (exit 2)", async () => {
    const t = io(["serve", "--no-such-flag"]);
    expect(await runCli(t.ctx)).toBe(2);
    expect(t.err()).toMatch(/no-such-flag/);
  });

  it("serve on a terminal says it speaks MCP on stdio and points at setup, and exits 0 when input ends", async () => {
    const t = io([], {}, true);
    const done = runCli(t.ctx);
    await new Promise((r) => setTimeout(r, 50));
    t.stdin.end();
    expect(await done).toBe(0);
    expect(t.err()).toMatch(/waiting for an MCP client on standard input .*Ctrl\+C quits\. To set it up .*run: node \/work\/checkout\/bin\/mcp-memory-bridge\.js setup/);
    expect(t.out()).toBe("");
  });

  it("serve off a terminal prints nothing to stdout but JSON-RPC", async () => {
    const t = io([]);
    const done = runCli(t.ctx);
    t.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } })}\n`);
    await new Promise((r) => setTimeout(r, 100));
    t.stdin.end();
    expect(await done).toBe(0);
    expect(t.err()).toBe("");
    const lines = t.out().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ jsonrpc: "2.0", id: 1, result: { serverInfo: { name: "mcp-memory-bridge", version: pkg.version } } });
  });
});
