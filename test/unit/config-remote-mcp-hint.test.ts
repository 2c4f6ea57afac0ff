/**
 * mayServeRemoteMcp() decides, without the settings table, whether the bin may answer `initialize`
 * itself: it must say true whenever serve's real settings select the remote MCP proxy.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { usesRemoteMcp } from "../../src/commands/shared/remote-mcp.js";
import { ConfigError } from "../../src/config/errors.js";
import { loadSettings } from "../../src/config/load.js";
import { readProfile } from "../../src/config/profile.js";
import { mayServeRemoteMcp } from "../../src/config/remote-mcp-hint.js";
import { tempHome } from "../helpers/command-io.js";

/** What serve does with the environment and the profile (settingsFor), reduced to the one question. */
function servesRemoteMcp(env: Record<string, string>): boolean {
  const profile = readProfile(env.MEMORY_BRIDGE_CONFIG_DIR!);
  try {
    return usesRemoteMcp(loadSettings({ env, profile: profile.profile }));
  } catch (error) {
    if (error instanceof ConfigError) return false; // serve reports it and serves the canonical tools
    throw error;
  }
}

const BACKENDS = [undefined, "auto", "AUTO ", "mcp", " MCP", "mcp-memory-service", "mem0", "bogus", ""];
const ENDPOINTS = [undefined, "https://mem.example.com", "https://mem.example.com/api", "https://mem.example.com/mcp", "https://mem.example.com/MCP/", "http://h/%6Dcp", "not a url", "https://mem.example.com/mcp?x=1"];
const PROFILES: (string | undefined)[] = [
  undefined,
  "",
  "{}",
  '{"backend":"mcp"}',
  '{"endpoint":"https://mem.example.com/mcp"}',
  '{"backend":"mcp-memory-service","endpoint":"https://mem.example.com/mcp"}',
  '{"backend":"nonsense","endpoint":"https://mem.example.com/mcp/"}',
  '{"backend":5,"endpoint":"https://mem.example.com/mcp"}',
  '{"endpoint":7}',
  '{"endpoint":"https://mem.example.com/api"}',
  "not json",
  "[1]",
];

describe("mayServeRemoteMcp", () => {
  it("is true whenever serve's settings select the remote MCP server, for every mix of environment and profile", () => {
    let cases = 0;
    let fast = 0;
    for (const profile of PROFILES) {
      const configDir = join(tempHome(), "config");
      mkdirSync(configDir, { recursive: true });
      if (profile !== undefined) writeFileSync(join(configDir, "config.json"), profile);
      for (const backend of BACKENDS) {
        for (const endpoint of ENDPOINTS) {
          for (const variable of ["MEMORY_BRIDGE_ENDPOINT", "MCP_HTTP_ENDPOINT"]) {
            const env: Record<string, string> = { MEMORY_BRIDGE_CONFIG_DIR: configDir };
            if (backend !== undefined) env.MEMORY_BRIDGE_BACKEND = backend;
            if (endpoint !== undefined) env[variable] = endpoint;
            const expected = servesRemoteMcp(env);
            const hint = mayServeRemoteMcp(env);
            if (expected) expect(hint, JSON.stringify({ env, profile })).toBe(true);
            cases++;
            if (!hint) fast++;
          }
        }
      }
    }
    // Not vacuous: most set-ups are answered early.
    expect(fast).toBeGreaterThan(cases / 3);
  });

  it("is false for the usual set-ups: nothing saved, a REST server saved by login, a REST backend named", () => {
    const configDir = join(tempHome(), "config");
    expect(mayServeRemoteMcp({ MEMORY_BRIDGE_CONFIG_DIR: configDir })).toBe(false);
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, "config.json"), '{"endpoint":"https://memory.example.com","backend":"mcp-memory-service"}');
    expect(mayServeRemoteMcp({ MEMORY_BRIDGE_CONFIG_DIR: configDir })).toBe(false);
    expect(mayServeRemoteMcp({ MEMORY_BRIDGE_CONFIG_DIR: configDir, MEMORY_BRIDGE_BACKEND: "mem0", MEMORY_BRIDGE_ENDPOINT: "https://x/mcp" })).toBe(false);
  });

  it("is true for a profile it cannot read as a file (a directory in its place)", () => {
    const configDir = join(tempHome(), "config");
    mkdirSync(join(configDir, "config.json"), { recursive: true });
    expect(mayServeRemoteMcp({ MEMORY_BRIDGE_CONFIG_DIR: configDir })).toBe(true);
  });

  it("reads the OS config folder's profile, and leaves an older config folder (which serve moves over) to serve", () => {
    const home = tempHome();
    const env = { XDG_CONFIG_HOME: join(home, ".config") };
    const machine = { platform: "linux" as const, home };
    expect(mayServeRemoteMcp(env, machine)).toBe(false);
    mkdirSync(join(home, ".config", "mcp-memory-bridge"), { recursive: true });
    writeFileSync(join(home, ".config", "mcp-memory-bridge", "config.json"), '{"backend":"mcp"}');
    expect(mayServeRemoteMcp(env, machine)).toBe(true);
    writeFileSync(join(home, ".config", "mcp-memory-bridge", "config.json"), '{"backend":"mem0"}');
    expect(mayServeRemoteMcp(env, machine)).toBe(false);
    mkdirSync(join(home, ".config", "mcp-memory-bridge-nodejs"), { recursive: true });
    expect(mayServeRemoteMcp(env, machine)).toBe(true);
    expect(existsSync(join(home, ".config", "mcp-memory-bridge-nodejs"))).toBe(true);
  });
});
