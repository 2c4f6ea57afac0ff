import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.js";
import { loadSettings } from "../../src/config/load.js";
import type { Profile } from "../../src/config/profile.js";
import { FALLBACK_USER_ID, type SettingFlags, type Settings } from "../../src/config/settings.js";
import { BridgeError } from "../../src/core/errors.js";

const CONFIG_DIR = "/tmp/mcp-memory-bridge-test-config";
const baseEnv = { MEMORY_BRIDGE_CONFIG_DIR: CONFIG_DIR };

type Case = {
  key: keyof Settings;
  flag: Partial<SettingFlags>;
  env: Record<string, string>;
  profile: Profile | undefined;
  values: { flag: unknown; env: unknown; profile: unknown; default: unknown };
};

// One row per setting: a distinct value from each source, and the expected default.
const cases: Case[] = [
  {
    key: "endpoint",
    flag: { endpoint: "https://flag.example.com" },
    env: { MEMORY_BRIDGE_ENDPOINT: "https://env.example.com" },
    profile: { endpoint: "https://profile.example.com" },
    values: { flag: "https://flag.example.com", env: "https://env.example.com", profile: "https://profile.example.com", default: undefined },
  },
  {
    key: "backend",
    flag: { backend: "mem0" },
    env: { MEMORY_BRIDGE_BACKEND: "mem0-platform" },
    profile: { backend: "mcp-memory-service" },
    values: { flag: "mem0", env: "mem0-platform", profile: "mcp-memory-service", default: "auto" },
  },
  {
    key: "authScheme",
    flag: { authScheme: "bearer" },
    env: { MEMORY_BRIDGE_AUTH_SCHEME: "x-api-key" },
    profile: { authScheme: "token" },
    values: { flag: "bearer", env: "x-api-key", profile: "token", default: undefined },
  },
  {
    key: "userId",
    flag: { userId: "flag-user" },
    env: { MEMORY_BRIDGE_USER_ID: "env-user" },
    profile: { userId: "profile-user" },
    values: { flag: "flag-user", env: "env-user", profile: "profile-user", default: "os-user" },
  },
  {
    key: "projectMode",
    flag: { projectMode: "manual" },
    env: { MEMORY_BRIDGE_PROJECT_MODE: "global" },
    profile: { projectMode: "manual" },
    values: { flag: "manual", env: "global", profile: "manual", default: "auto" },
  },
  {
    key: "projectId",
    flag: { project: "flag-project" },
    env: { MEMORY_BRIDGE_PROJECT_ID: "env-project" },
    profile: undefined,
    values: { flag: "flag-project", env: "env-project", profile: undefined, default: undefined },
  },
  {
    key: "projectKey",
    flag: { projectKey: "path" },
    env: { MEMORY_BRIDGE_PROJECT_KEY: "remote" },
    profile: undefined,
    values: { flag: "path", env: "remote", profile: undefined, default: "remote" },
  },
  {
    key: "discovery",
    flag: { discovery: false },
    // env "on" against flag off shows the flag wins; "off" values are covered below.
    env: { MEMORY_BRIDGE_DISCOVERY: "on" },
    profile: undefined,
    values: { flag: false, env: true, profile: undefined, default: true },
  },
  {
    key: "timeoutMs",
    flag: { timeout: "1000" },
    env: { MEMORY_BRIDGE_TIMEOUT_MS: "2000" },
    profile: { timeoutMs: 3000 },
    values: { flag: 1000, env: 2000, profile: 3000, default: 15000 },
  },
  {
    key: "maxResponseBytes",
    flag: { maxResponseBytes: "1000000" },
    env: { MEMORY_BRIDGE_MAX_RESPONSE_BYTES: "2000000" },
    profile: { maxResponseBytes: 3000000 },
    values: { flag: 1000000, env: 2000000, profile: 3000000, default: 32 * 1024 * 1024 },
  },
  {
    key: "maxConnections",
    flag: { maxConnections: "4" },
    env: { MEMORY_BRIDGE_MAX_CONNECTIONS: "8" },
    profile: { maxConnections: 2 },
    values: { flag: 4, env: 8, profile: 2, default: 16 },
  },
  {
    key: "maxMessageBytes",
    flag: { maxMessageBytes: "2000000" },
    env: { MEMORY_BRIDGE_MAX_MESSAGE_BYTES: "3000000" },
    profile: { maxMessageBytes: 5000000 },
    values: { flag: 2000000, env: 3000000, profile: 5000000, default: 4 * 1024 * 1024 },
  },
  {
    key: "allowHttp",
    flag: { allowHttp: true },
    env: { MEMORY_BRIDGE_ALLOW_HTTP: "0" },
    profile: { allowHttp: true },
    values: { flag: true, env: false, profile: true, default: false },
  },
  {
    key: "caFile",
    flag: { caFile: "/flag.pem" },
    env: { MEMORY_BRIDGE_CA_FILE: "/env.pem" },
    profile: { caFile: "/profile.pem" },
    values: { flag: "/flag.pem", env: "/env.pem", profile: "/profile.pem", default: undefined },
  },
  {
    key: "logLevel",
    flag: { logLevel: "debug" },
    env: { MEMORY_BRIDGE_LOG_LEVEL: "info" },
    profile: { logLevel: "error" },
    values: { flag: "debug", env: "info", profile: "error", default: "warn" },
  },
];

const load = (flags: SettingFlags, env: Record<string, string>, profile: Profile = {}) =>
  loadSettings({ flags, env: { ...baseEnv, ...env }, profile, osUserName: "os-user" });

describe("loadSettings precedence: flag > env > profile > default", () => {
  for (const c of cases) {
    describe(c.key, () => {
      it("flag beats env and profile", () => {
        expect(load(c.flag, c.env, c.profile)[c.key]).toEqual(c.values.flag);
      });
      it("env beats profile", () => {
        expect(load({}, c.env, c.profile)[c.key]).toEqual(c.values.env);
      });
      if (c.profile) {
        it("profile beats the default", () => {
          expect(load({}, {}, c.profile)[c.key]).toEqual(c.values.profile);
        });
      }
      it("default when nothing is set", () => {
        expect(load({}, {})[c.key]).toEqual(c.values.default);
      });
    });
  }
});

describe("loadSettings details", () => {
  it("records where the endpoint came from", () => {
    expect(load({ endpoint: "https://a.example" }, {}).endpointSource).toBe("flag");
    expect(load({}, { MEMORY_BRIDGE_ENDPOINT: "https://a.example" }).endpointSource).toBe("env");
    expect(load({}, {}, { endpoint: "https://a.example" }).endpointSource).toBe("profile");
    expect(load({}, {}).endpointSource).toBe("default");
  });

  it("canonicalizes the endpoint (trim, lower-case host, no trailing slash)", () => {
    expect(load({ endpoint: "  https://Memory.EXAMPLE.com:443/api/  " }, {}).endpoint).toBe("https://memory.example.com/api");
  });

  it("returns a frozen object", () => {
    const settings = load({}, {});
    expect(Object.isFrozen(settings)).toBe(true);
    expect(() => {
      (settings as Settings).timeoutMs = 1;
    }).toThrow(TypeError);
  });

  it("uses MEMORY_BRIDGE_CONFIG_DIR (absolute) as configDir", () => {
    expect(load({}, {}).configDir).toBe(CONFIG_DIR);
  });

  it("accepts enum values in any case and with spaces", () => {
    expect(load({ projectMode: " Global " }, {}).projectMode).toBe("global");
    expect(load({}, { MEMORY_BRIDGE_AUTH_SCHEME: "X-API-KEY" }).authScheme).toBe("x-api-key");
  });

  it("reads every switch word for discovery and allow-http", () => {
    for (const word of ["0", "false", "no", "off", "FALSE"]) {
      expect(load({}, { MEMORY_BRIDGE_DISCOVERY: word }).discovery).toBe(false);
      expect(load({}, { MEMORY_BRIDGE_ALLOW_HTTP: word }, { allowHttp: true }).allowHttp).toBe(false);
    }
    for (const word of ["1", "true", "yes", "on"]) {
      expect(load({}, { MEMORY_BRIDGE_DISCOVERY: word }).discovery).toBe(true);
      expect(load({}, { MEMORY_BRIDGE_ALLOW_HTTP: word }).allowHttp).toBe(true);
    }
  });

  it("falls back to a fixed user id when the OS user name is unknown", () => {
    expect(loadSettings({ env: baseEnv }).userId).toBe(FALLBACK_USER_ID);
    expect(loadSettings({ env: baseEnv, osUserName: "  " }).userId).toBe(FALLBACK_USER_ID);
  });

  it("treats empty environment variables as unset", () => {
    const settings = load({}, { MEMORY_BRIDGE_TIMEOUT_MS: "", MEMORY_BRIDGE_ENDPOINT: "   " }, { timeoutMs: 3000 });
    expect(settings.timeoutMs).toBe(3000);
    expect(settings.endpoint).toBeUndefined();
  });
});

describe("loadSettings legacy environment names", () => {
  const legacy: [string, string, keyof Settings, unknown][] = [
    ["MCP_MEMORY_HTTP_ENDPOINT", "https://legacy.example.com", "endpoint", "https://legacy.example.com"],
    ["DEFAULT_USER_ID", "legacy-user", "userId", "legacy-user"],
    ["PROJECT_ID_MODE", "global", "projectMode", "global"],
    ["MCP_HTTP_ENDPOINT", "https://documented.example.com/api/", "endpoint", "https://documented.example.com/api"],
    ["MCP_MEMORY_AUTO_DISCOVER", "false", "discovery", false],
    ["MCP_MEMORY_AUTO_DISCOVER", "true", "discovery", true],
    // An invalid value for our own variable; for http-mcp-bridge.js's, anything but `true` is off.
    ["MCP_MEMORY_AUTO_DISCOVER", "1", "discovery", false],
    ["MCP_MEMORY_AUTO_DISCOVER", "maybe", "discovery", false],
  ];
  for (const [variable, value, key, expected] of legacy) {
    it(`${variable}=${value} sets ${key}`, () => {
      expect(load({}, { [variable]: value })[key]).toEqual(expected);
    });
  }

  const pairs: [string, string, string, string, keyof Settings, unknown][] = [
    ["MEMORY_BRIDGE_ENDPOINT", "https://new.example.com", "MCP_MEMORY_HTTP_ENDPOINT", "https://old.example.com", "endpoint", "https://new.example.com"],
    ["MEMORY_BRIDGE_USER_ID", "new-user", "DEFAULT_USER_ID", "old-user", "userId", "new-user"],
    ["MEMORY_BRIDGE_PROJECT_MODE", "manual", "PROJECT_ID_MODE", "global", "projectMode", "manual"],
    ["MEMORY_BRIDGE_DISCOVERY", "1", "MCP_MEMORY_AUTO_DISCOVER", "false", "discovery", true],
  ];
  for (const [current, currentValue, old, oldValue, key, expected] of pairs) {
    it(`${current} wins over ${old}`, () => {
      expect(load({}, { [current]: currentValue, [old]: oldValue })[key]).toEqual(expected);
    });
    it(`an empty ${current} lets ${old} through`, () => {
      expect(load({}, { [current]: "", [old]: oldValue })[key]).not.toEqual(expected);
    });
  }
});

describe("loadSettings invalid values", () => {
  const failure = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toBeInstanceOf(BridgeError);
      return error as ConfigError;
    }
    throw new Error("expected a ConfigError");
  };

  it("names the flag and the allowed values", () => {
    const error = failure(() => load({ projectMode: "foo" }, {}));
    expect(error.message).toBe('Invalid --project-mode "foo": use auto, manual or global.');
    expect(error.source).toBe("flag");
    expect(error.setting).toBe("projectMode");
  });

  it("names the environment variable, legacy ones included", () => {
    expect(failure(() => load({}, { MEMORY_BRIDGE_TIMEOUT_MS: "soon" })).message).toBe(
      'Invalid environment variable MEMORY_BRIDGE_TIMEOUT_MS "soon": use a whole number of milliseconds from 1 to 3600000 (default 15000).',
    );
    const legacy = failure(() => load({}, { PROJECT_ID_MODE: "foo" }));
    expect(legacy.message).toBe('Invalid environment variable PROJECT_ID_MODE "foo": use auto, manual or global.');
    expect(legacy.source).toBe("env");
  });

  it("names the saved profile and its file", () => {
    const error = failure(() => load({}, {}, { logLevel: "loud" } as unknown as Profile));
    expect(error.message).toBe(`Invalid logLevel "loud" in the saved profile (${CONFIG_DIR}/config.json): use error, warn, info or debug.`);
    expect(error.source).toBe("profile");
  });

  it("reports the source that won, not a lower one", () => {
    // The bad env value is shadowed by a good flag, so it is never looked at.
    expect(load({ timeout: "100" }, { MEMORY_BRIDGE_TIMEOUT_MS: "soon" }).timeoutMs).toBe(100);
  });

  it.each([
    [{ backend: "redis" }, 'Invalid --backend "redis": use auto, mcp-memory-service, mem0, mem0-platform or mcp.'],
    [{ authScheme: "basic" }, 'Invalid --auth-scheme "basic": use bearer, x-api-key, token or x-mcp-token.'],
    [{ projectKey: "name" }, 'Invalid --project-key "name": use remote or path.'],
    [{ timeout: "0" }, 'Invalid --timeout "0": use a whole number of milliseconds from 1 to 3600000 (default 15000).'],
    [{ timeout: "1.5" }, 'Invalid --timeout "1.5": use a whole number of milliseconds from 1 to 3600000 (default 15000).'],
    [{ userId: "" }, 'Invalid --user-id "": use a non-empty user id.'],
    [{ maxResponseBytes: "1000" }, 'Invalid --max-response-bytes "1000": use a whole number of bytes from 65536 to 268435456 (default 33554432).'],
    [{ maxConnections: "0" }, 'Invalid --max-connections "0": use a whole number of connections from 1 to 256 (default 16).'],
    [{ maxMessageBytes: "4MB" }, 'Invalid --max-message-bytes "4MB": use a whole number of bytes from 1048576 to 268435456 (default 4194304).'],
    [{ endpoint: "memory.example.com" }, 'Invalid --endpoint "memory.example.com": use an http:// or https:// URL such as https://memory.example.com.'],
  ] as [SettingFlags, string][])("%o", (flags, message) => {
    expect(failure(() => load(flags, {})).message).toBe(message);
  });

  it("rejects an unknown switch word", () => {
    expect(failure(() => load({}, { MEMORY_BRIDGE_ALLOW_HTTP: "maybe" })).message).toBe(
      'Invalid environment variable MEMORY_BRIDGE_ALLOW_HTTP "maybe": use 1, true, yes, on (on) or 0, false, no, off (off).',
    );
  });

  it("never echoes credentials or a query from a bad endpoint", () => {
    const error = failure(() => load({}, { MEMORY_BRIDGE_ENDPOINT: "ftp://user:s3cr3tpass@host/x?api_key=abcdef" }));
    expect(error.message).not.toContain("s3cr3tpass");
    expect(error.message).not.toContain("abcdef");
    expect(error.message).toContain("MEMORY_BRIDGE_ENDPOINT");
  });
});
