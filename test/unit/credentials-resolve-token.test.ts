import { describe, expect, it } from "vitest";
import { tokenFromEnv } from "../../src/credentials/env-token.js";
import { resolveToken } from "../../src/credentials/resolve-token.js";
import type { TokenStore } from "../../src/credentials/token-store.js";
import type { LogLevel } from "../../src/core/unions.js";
import { createLogger } from "../../src/log.js";

const ENDPOINT = "https://memory.example.com";

/** An in-memory store that records lookups. */
function memoryStore(name: TokenStore["name"], tokens: Record<string, string> = {}) {
  const lookups: string[] = [];
  const store: TokenStore = {
    name,
    async get(account) {
      lookups.push(account);
      return tokens[account];
    },
    async set(account, token) {
      tokens[account] = token;
    },
    async delete(account) {
      const had = account in tokens;
      delete tokens[account];
      return had;
    },
  };
  return { store, lookups };
}

function throwingStore(name: TokenStore["name"], message: string): TokenStore {
  return {
    name,
    get: () => Promise.reject(new Error(message)),
    set: () => Promise.reject(new Error(message)),
    delete: () => Promise.reject(new Error(message)),
  };
}

const captureLogger = (level: LogLevel = "debug") => {
  const lines: string[] = [];
  return { logger: createLogger({ level, write: (line) => lines.push(line) }), lines };
};

describe("tokenFromEnv", () => {
  it("reads MEMORY_BRIDGE_TOKEN, trimmed", () => {
    expect(tokenFromEnv({ MEMORY_BRIDGE_TOKEN: " t1 \n" })).toEqual({ token: "t1", variable: "MEMORY_BRIDGE_TOKEN" });
  });
  it("reads legacy MCP_MEMORY_API_KEY", () => {
    expect(tokenFromEnv({ MCP_MEMORY_API_KEY: "t2" })).toEqual({ token: "t2", variable: "MCP_MEMORY_API_KEY" });
  });
  it("prefers the current name", () => {
    expect(tokenFromEnv({ MEMORY_BRIDGE_TOKEN: "new", MCP_MEMORY_API_KEY: "old" })?.token).toBe("new");
  });
  it("treats empty as unset", () => {
    expect(tokenFromEnv({ MEMORY_BRIDGE_TOKEN: "  ", MCP_MEMORY_API_KEY: "old" })?.token).toBe("old");
    expect(tokenFromEnv({ MEMORY_BRIDGE_TOKEN: "" })).toBeUndefined();
  });
});

describe("resolveToken", () => {
  it("takes the environment first, without asking any store", async () => {
    const keychain = memoryStore("keytar", { [ENDPOINT]: "from-keychain" });
    const result = await resolveToken({ env: { MEMORY_BRIDGE_TOKEN: "from-env" }, endpoint: ENDPOINT, stores: [keychain.store] });
    expect(result).toEqual({ token: "from-env", source: "env", origin: "MEMORY_BRIDGE_TOKEN", failures: [] });
    expect(keychain.lookups).toEqual([]);
  });

  it("then tries each store in order with the endpoint as account", async () => {
    const keytar = memoryStore("keytar");
    const keyring = memoryStore("keyring", { [ENDPOINT]: "from-keyring" });
    const file = memoryStore("file", { [ENDPOINT]: "from-file" });
    const result = await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [keytar.store, keyring.store, file.store] });
    expect(result).toEqual({ token: "from-keyring", source: "keychain", origin: "keyring", failures: [] });
    expect(keytar.lookups).toEqual([ENDPOINT]);
    expect(file.lookups).toEqual([]);
  });

  it("reports the insecure file as its own source", async () => {
    const file = memoryStore("file", { [ENDPOINT]: "from-file" });
    expect(await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [file.store] })).toMatchObject({ token: "from-file", source: "file" });
  });

  it("returns none when nothing has a token", async () => {
    const keytar = memoryStore("keytar", { "https://other.example.com": "other" });
    expect(await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [keytar.store] })).toEqual({ source: "none", failures: [] });
  });

  it("treats a blank stored token as a miss", async () => {
    const keytar = memoryStore("keytar", { [ENDPOINT]: "  " });
    const file = memoryStore("file", { [ENDPOINT]: "from-file" });
    expect(await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [keytar.store, file.store] })).toMatchObject({ source: "file" });
  });

  it("asks no store without an endpoint", async () => {
    const keytar = memoryStore("keytar", { [ENDPOINT]: "x" });
    expect(await resolveToken({ env: {}, endpoint: undefined, stores: [keytar.store] })).toEqual({ source: "none", failures: [] });
    expect(keytar.lookups).toEqual([]);
  });

  it("skips a store that throws and goes on to the next (debug log only)", async () => {
    const { logger, lines } = captureLogger("debug");
    const file = memoryStore("file", { [ENDPOINT]: "from-file" });
    const result = await resolveToken({
      env: {},
      endpoint: ENDPOINT,
      stores: [throwingStore("keytar", "Cannot autolaunch D-Bus without X11 $DISPLAY"), file.store],
      logger,
    });
    expect(result).toEqual({
      token: "from-file",
      source: "file",
      origin: "file",
      failures: [{ store: "keytar", reason: "Cannot autolaunch D-Bus without X11 $DISPLAY" }],
    });
    expect(lines.some((line) => line.startsWith("mcp-memory-bridge debug: token store failed") && line.includes("D-Bus"))).toBe(true);
    expect(lines.some((line) => line.includes(" warn: "))).toBe(false);
  });

  it("says at info level (a machine without a keychain is normal) when a failing store may be why there is no token", async () => {
    const { logger, lines } = captureLogger("info");
    const result = await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [throwingStore("keyring", "keyring locked")], logger });
    expect(result).toEqual({ source: "none", failures: [{ store: "keyring", reason: "keyring locked" }] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("mcp-memory-bridge info: no token found");
    expect(lines[0]).toContain("keyring: keyring locked");
    const quiet = captureLogger("warn");
    await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [throwingStore("keyring", "keyring locked")], logger: quiet.logger });
    expect(quiet.lines).toEqual([]);
  });

  it("registers the token it found with the logger's redaction", async () => {
    const { logger, lines } = captureLogger("debug");
    const keytar = memoryStore("keytar", { [ENDPOINT]: "kt-secret-9876" });
    await resolveToken({ env: {}, endpoint: ENDPOINT, stores: [keytar.store], logger });
    logger.error("echo kt-secret-9876");
    expect(lines.join("\n")).not.toContain("kt-secret-9876");
    expect(lines.at(-1)).toBe("mcp-memory-bridge error: echo [redacted]");
  });
});

describe("aliases (other spellings of the same endpoint)", () => {
  const DEFAULT = "http://127.0.0.1:8000/api";
  const ALIASES = ["http://localhost:8000/api", "http://[::1]:8000/api"];

  it("are tried after the endpoint in each store, before the next store", async () => {
    const keytar = memoryStore("keytar", { [ALIASES[1]!]: "under-ipv6" });
    const file = memoryStore("file", { [DEFAULT]: "in-file" });
    const result = await resolveToken({ env: {}, endpoint: DEFAULT, aliases: ALIASES, stores: [keytar.store, file.store] });
    expect(result).toMatchObject({ token: "under-ipv6", source: "keychain", origin: "keytar" });
    expect(keytar.lookups).toEqual([DEFAULT, ...ALIASES]);
    expect(file.lookups).toEqual([]);
  });

  it("the exact spelling wins over an alias in the same store", async () => {
    const keytar = memoryStore("keytar", { [DEFAULT]: "exact", [ALIASES[0]!]: "alias" });
    expect((await resolveToken({ env: {}, endpoint: DEFAULT, aliases: ALIASES, stores: [keytar.store] })).token).toBe("exact");
  });

  it("a store that throws is not asked again for the aliases", async () => {
    let calls = 0;
    const broken: TokenStore = { ...throwingStore("keyring", "locked"), get: () => (calls++, Promise.reject(new Error("locked"))) };
    const result = await resolveToken({ env: {}, endpoint: DEFAULT, aliases: ALIASES, stores: [broken] });
    expect(result).toEqual({ source: "none", failures: [{ store: "keyring", reason: "locked" }] });
    expect(calls).toBe(1);
  });
});

describe("exclude (a token the server just rejected)", () => {
  it("skips a store holding the rejected token and finds a newer one further on", async () => {
    const stale = { name: "keytar" as const, get: async () => "old-token-123456", set: async () => undefined, delete: async () => false };
    const fresh = { name: "keyring" as const, get: async () => "new-token-654321", set: async () => undefined, delete: async () => false };
    const resolved = await resolveToken({ env: {}, endpoint: "https://m.example.com", stores: [stale, fresh], exclude: "old-token-123456" });
    expect(resolved).toMatchObject({ token: "new-token-654321", source: "keychain", origin: "keyring" });
  });
});
