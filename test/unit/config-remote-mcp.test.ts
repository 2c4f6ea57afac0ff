import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { usesRemoteMcp } from "../../src/commands/shared/remote-mcp.js";
import { ConfigError } from "../../src/config/errors.js";
import { globalFlagOptions, toSettingFlags } from "../../src/config/flags.js";
import { loadSettings } from "../../src/config/load.js";

const env = { MEMORY_BRIDGE_CONFIG_DIR: "/tmp/mcp-memory-bridge-test-config" };
const flagsFrom = (args: string[]) => toSettingFlags(parseArgs({ args, options: globalFlagOptions, strict: true }).values);

describe("the remote MCP server's settings", () => {
  it("takes --backend mcp and --auth-scheme x-mcp-token", () => {
    const settings = loadSettings({ env, flags: flagsFrom(["--backend", "mcp", "--auth-scheme", "X-MCP-Token"]) });
    expect(settings).toMatchObject({ backend: "mcp", authScheme: "x-mcp-token" });
  });

  it("collects repeated --header lines into headers by name, the value cut at the first colon only", () => {
    const settings = loadSettings({ env, flags: flagsFrom(["--header", "X-Team: blue", "--header", "X-Env:a:b"]) });
    expect(settings.headers).toEqual({ "X-Team": "blue", "X-Env": "a:b" });
  });

  it("reads MEMORY_BRIDGE_HEADERS as a JSON object, and the profile's object; a flag wins", () => {
    expect(loadSettings({ env: { ...env, MEMORY_BRIDGE_HEADERS: '{"X-Team":"green"}' } }).headers).toEqual({ "X-Team": "green" });
    expect(loadSettings({ env, profile: { headers: { "X-Team": "red" } } }).headers).toEqual({ "X-Team": "red" });
    const both = loadSettings({ env: { ...env, MEMORY_BRIDGE_HEADERS: '{"X-Team":"green"}' }, flags: flagsFrom(["--header", "X-Team: blue"]) });
    expect(both.headers).toEqual({ "X-Team": "blue" });
    expect(loadSettings({ env }).headers).toBeUndefined();
  });

  it("refuses a header line without a name, and MEMORY_BRIDGE_HEADERS that is not an object of texts", () => {
    expect(() => loadSettings({ env, flags: flagsFrom(["--header", "no colon here"]) })).toThrow(ConfigError);
    expect(() => loadSettings({ env, flags: flagsFrom(["--header", ": value"]) })).toThrow(/Invalid --header/);
    for (const bad of ["not json", '["X-Team: blue"]', '{"X-Team": 1}', '{"Bad Name": "x"}']) {
      expect(() => loadSettings({ env: { ...env, MEMORY_BRIDGE_HEADERS: bad } }), bad).toThrow(/Invalid environment variable MEMORY_BRIDGE_HEADERS/);
    }
  });

  it("uses the proxy for --backend mcp, and for auto when the endpoint's path ends in /mcp", () => {
    expect(usesRemoteMcp({ backend: "mcp", endpoint: undefined })).toBe(true);
    expect(usesRemoteMcp({ backend: "auto", endpoint: "https://mem.example.com/mcp" })).toBe(true);
    expect(usesRemoteMcp({ backend: "auto", endpoint: "https://mem.example.com/mcp/" })).toBe(true);
    expect(usesRemoteMcp({ backend: "auto", endpoint: "https://mem.example.com/api" })).toBe(false);
    expect(usesRemoteMcp({ backend: "auto", endpoint: "https://mem.example.com/mcpx" })).toBe(false);
    expect(usesRemoteMcp({ backend: "mcp-memory-service", endpoint: "https://mem.example.com/mcp" })).toBe(false);
    expect(usesRemoteMcp({ backend: "auto", endpoint: undefined })).toBe(false);
  });
});
