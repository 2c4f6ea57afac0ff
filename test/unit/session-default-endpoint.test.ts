/**
 * With no endpoint configured and discovery off, the bridge uses mcp-memory-service's default address, finds a token
 * stored under another loopback spelling of it, and says so in status and in its errors.
 */
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/load.js";
import { SecretRedactor } from "../../src/core/secrets.js";
import type { TokenStore } from "../../src/credentials/token-store.js";
import { UnreachableError } from "../../src/http/errors.js";
import { loadHttpClient } from "../../src/http/load-client.js";
import { createLogger } from "../../src/log.js";
import { explain } from "../../src/mcp/error-words.js";
import { Session } from "../../src/session/session.js";
import { renderStatus, withDefaultEndpointHint, type BridgeStatus } from "../../src/mcp/status.js";
import { WORDS } from "../helpers/words.js";

const DEFAULT = "http://127.0.0.1:8000/api";

function storeWith(tokens: Record<string, string>): TokenStore {
  return {
    name: "file",
    get: async (account) => tokens[account],
    set: async () => undefined,
    delete: async () => false,
  };
}

function session(given: Record<string, string>, tokens: Record<string, string> = {}): Session {
  // Discovery off: with it on, a server found by probing would stand in for the default address.
  const env = { MEMORY_BRIDGE_DISCOVERY: "0", ...given };
  return new Session({
    commandName: "npx mcp-memory-bridge",
    settings: loadSettings({ env }),
    env,
    cwd: "/",
    home: "/home/test",
    tmpdir: "/tmp",
    platform: "linux",
    logger: createLogger({ level: "error", write: () => undefined }),
    secrets: new SecretRedactor(),
    stores: [storeWith(tokens)],
    http: loadHttpClient,
  });
}

describe("no endpoint configured", () => {
  it("uses http://127.0.0.1:8000/api, from the default", () => {
    const s = session({});
    expect(s.endpoint).toBe(DEFAULT);
    expect(s.endpointSource).toBe("default");
  });

  it("finds a token stored under localhost or [::1] with the same port and path", async () => {
    expect((await session({}, { "http://localhost:8000/api": "tok-localhost" }).token.get()).token).toBe("tok-localhost");
    expect((await session({}, { "http://[::1]:8000/api": "tok-ipv6" }).token.get()).token).toBe("tok-ipv6");
    expect((await session({}, { "http://localhost:8000/other": "tok-elsewhere" }).token.get()).token).toBeUndefined();
  });

  it("--backend mem0-platform defaults to https://api.mem0.ai, sent as Token; auto knows the platform by its host", () => {
    const platform = session({ MEMORY_BRIDGE_BACKEND: "mem0-platform" });
    expect(platform.endpoint).toBe("https://api.mem0.ai");
    expect(platform.flavour).toBe("mem0-platform");
    expect(platform.endpointSource).toBe("default");
    const auto = session({ MEMORY_BRIDGE_ENDPOINT: "https://api.mem0.ai" });
    expect(auto.flavour).toBe("mem0-platform");
    expect(session({ MEMORY_BRIDGE_BACKEND: "mem0" }).endpoint).toBe(DEFAULT);
  });

  it("a configured endpoint is used as it is, with no other spelling", async () => {
    const s = session({ MEMORY_BRIDGE_ENDPOINT: "http://localhost:8000/api" }, { [DEFAULT]: "for-127" });
    expect(s.endpoint).toBe("http://localhost:8000/api");
    expect(s.endpointSource).toBe("env");
    expect((await s.token.get()).token).toBeUndefined();
  });

  it("status says the endpoint is the default one; an unreachable default says how to configure another", () => {
    const status: BridgeStatus = {
      endpoint: DEFAULT,
      endpoint_source: "default",
      backend: "mcp-memory-service",
      project: { id: null, mode: "global", source: "fallback" },
      auth: { source: "none", scheme: "bearer" },
      reachable: false,
      version: "0.0.0",
    };
    expect(renderStatus(status)).toContain(`endpoint: ${DEFAULT} (nothing configured: mcp-memory-service's default address)`);
    expect(renderStatus({ ...status, endpoint_source: "env" })).toContain(`endpoint: ${DEFAULT}\n`);
    expect(renderStatus({ ...status, endpoint: "https://api.mem0.ai", backend: "mem0-platform" })).toContain(
      "endpoint: https://api.mem0.ai (nothing configured: mem0-platform's default address)",
    );
    expect(renderStatus({ ...status, backend: "mem0" })).toContain("(nothing configured: mcp-memory-service's default address)");

    const refused = new UnreachableError({ endpoint: DEFAULT, attempts: 1, maybeSent: false, causeCode: "ECONNREFUSED" });
    const hint = withDefaultEndpointHint(refused, session({}));
    expect(hint).toMatch(/^Cannot reach the memory server at http:\/\/127\.0\.0\.1:8000\/api .*doctor\. No memory server is configured/);
    expect(hint).toContain("login <URL>` or set MEMORY_BRIDGE_ENDPOINT");
    expect(withDefaultEndpointHint(refused, session({ MEMORY_BRIDGE_ENDPOINT: DEFAULT }))).toBe(explain(refused, WORDS));
    expect(withDefaultEndpointHint(new Error("other"), session({}))).toBe("other");
  });
});
