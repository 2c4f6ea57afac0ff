import { describe, expect, it } from "vitest";
import { CLIENTS, clientById } from "../../src/clients/registry.js";
import { entrySnippet } from "../../src/clients/snippet.js";
import type { ClientHost } from "../../src/clients/types.js";

const linux: ClientHost = { platform: "linux", home: "/home/u", env: {} };
const mac: ClientHost = { platform: "darwin", home: "/Users/u", env: {} };
const windows: ClientHost = { platform: "win32", home: "C:\\Users\\u", env: { APPDATA: "C:\\Users\\u\\AppData\\Roaming" } };

const pathOf = (id: string, host: ClientHost) => clientById(id)!.configPath(host);

describe("client config locations", () => {
  it.each([
    ["claude-desktop", "/home/u/.config/Claude/claude_desktop_config.json", "/Users/u/Library/Application Support/Claude/claude_desktop_config.json", "C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json"],
    ["claude-code", "/home/u/.claude.json", "/Users/u/.claude.json", "C:\\Users\\u\\.claude.json"],
    ["cursor", "/home/u/.cursor/mcp.json", "/Users/u/.cursor/mcp.json", "C:\\Users\\u\\.cursor\\mcp.json"],
    ["vscode", "/home/u/.config/Code/User/mcp.json", "/Users/u/Library/Application Support/Code/User/mcp.json", "C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json"],
    ["windsurf", "/home/u/.codeium/windsurf/mcp_config.json", "/Users/u/.codeium/windsurf/mcp_config.json", "C:\\Users\\u\\.codeium\\windsurf\\mcp_config.json"],
    ["codex", "/home/u/.codex/config.toml", "/Users/u/.codex/config.toml", "C:\\Users\\u\\.codex\\config.toml"],
    ["gemini-cli", "/home/u/.gemini/settings.json", "/Users/u/.gemini/settings.json", "C:\\Users\\u\\.gemini\\settings.json"],
    ["zed", "/home/u/.config/zed/settings.json", "/Users/u/.config/zed/settings.json", "C:\\Users\\u\\AppData\\Roaming\\Zed\\settings.json"],
  ])("%s: Linux, macOS and Windows", (id, onLinux, onMac, onWindows) => {
    expect(pathOf(id, linux)).toBe(onLinux);
    expect(pathOf(id, mac)).toBe(onMac);
    expect(pathOf(id, windows)).toBe(onWindows);
  });

  it("follows XDG_CONFIG_HOME, APPDATA, CODEX_HOME and CLAUDE_CONFIG_DIR", () => {
    const xdg = { ...linux, env: { XDG_CONFIG_HOME: "/xdg" } };
    expect(pathOf("claude-desktop", xdg)).toBe("/xdg/Claude/claude_desktop_config.json");
    expect(pathOf("vscode", xdg)).toBe("/xdg/Code/User/mcp.json");
    expect(pathOf("zed", xdg)).toBe("/xdg/zed/settings.json");
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    expect(pathOf("zed", { ...linux, env: { XDG_CONFIG_HOME: "rel" } })).toBe("/home/u/.config/zed/settings.json");
    expect(pathOf("claude-desktop", { ...windows, env: { APPDATA: "D:\\Roaming" } })).toBe("D:\\Roaming\\Claude\\claude_desktop_config.json");
    expect(pathOf("claude-desktop", { ...windows, env: {} })).toBe("C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json");
    expect(pathOf("codex", { ...linux, env: { CODEX_HOME: "/c" } })).toBe("/c/config.toml");
    expect(pathOf("claude-code", { ...linux, env: { CLAUDE_CONFIG_DIR: "/cc" } })).toBe("/cc/.claude.json");
  });

  it("every client is detected by a folder or file of its own", () => {
    for (const client of CLIENTS) expect(client.detectPaths(linux).length, client.id).toBeGreaterThan(0);
    expect(clientById("vscode")!.detectPaths(mac)).toEqual(["/Users/u/Library/Application Support/Code/User"]);
  });
});

describe("entry shapes", () => {
  const launch = { command: "/n/npx", args: ["-y", "mcp-memory-bridge@0"], env: { PATH: "/n" } };

  it("VS Code and Claude Code want type stdio; the others command/args/env", () => {
    expect(clientById("vscode")!.entry(launch)).toEqual({ type: "stdio", ...launch });
    expect(clientById("claude-code")!.entry(launch)).toEqual({ type: "stdio", ...launch });
    for (const id of ["claude-desktop", "cursor", "windsurf", "codex", "gemini-cli", "zed"]) expect(clientById(id)!.entry(launch), id).toEqual(launch);
    expect(clientById("cursor")!.entry({ ...launch, env: {} })).toEqual({ command: "/n/npx", args: ["-y", "mcp-memory-bridge@0"] });
  });

  it("snippets nest the entry under the client's key, in its format", () => {
    expect(JSON.parse(entrySnippet(clientById("zed")!, "memory", { command: "x", args: [] }))).toEqual({ context_servers: { memory: { command: "x", args: [] } } });
    expect(JSON.parse(entrySnippet(clientById("vscode")!, "m", { command: "x" }))).toEqual({ servers: { m: { command: "x" } } });
    expect(entrySnippet(clientById("codex")!, "memory", { command: "x", args: [] })).toBe('[mcp_servers.memory]\ncommand = "x"\nargs = []');
  });
});
