/**
 * Which endpoint a session uses: configured (backend detected and cached per endpoint), discovered
 * (found in the background, remembered, looked for again when it stops answering), or the default
 * with discovery off; and which token a discovered endpoint gets.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/load.js";
import { SecretRedactor } from "../../src/core/secrets.js";
import type { TokenStore } from "../../src/credentials/token-store.js";
import { readDiscoveryCache, updateDiscoveryCache } from "../../src/discovery/cache-file.js";
import { rememberEndpoint } from "../../src/discovery/cache.js";
import type { RememberingOptions, RememberingReport } from "../../src/discovery/remembering-discovery.js";
import type { Detection, FoundDetection } from "../../src/discovery/types.js";
import { UnexpectedResponseError } from "../../src/backends/errors.js";
import { UnreachableError } from "../../src/http/errors.js";
import { loadHttpClient } from "../../src/http/load-client.js";
import { createLogger } from "../../src/log.js";
import { EndpointSource, NoServerFoundError, type EndpointSourceDeps } from "../../src/session/endpoint-source.js";
import { Session } from "../../src/session/session.js";

const logger = createLogger({ level: "error", write: () => undefined });

function found(url: string, extra: Partial<FoundDetection> = {}): FoundDetection {
  return { status: "found", input: url, endpoint: url, backend: "mcp-memory-service", evidence: "health", latencyMs: 1, probes: [], ...extra };
}

function report(chosen?: string, source: "local" | "mdns" | "remembered" = "local"): RememberingReport {
  const attempts = [
    { source: "local" as const, url: "http://127.0.0.1:8000/api", detection: { status: "unreachable", input: "http://127.0.0.1:8000/api", error: "ECONNREFUSED", probes: [] } as Detection },
    ...(chosen === undefined ? [] : [{ source, url: chosen, detection: found(chosen) }]),
  ];
  const last = attempts.at(-1)!;
  return { attempts, mdns: { ran: chosen === undefined || source === "mdns", services: 0 }, ...(chosen && { chosen: last as never }) };
}

function source(overrides: Partial<EndpointSourceDeps>): { source: EndpointSource; detected: string[]; discovered: RememberingOptions[]; cacheFile: string } {
  const detected: string[] = [];
  const discovered: RememberingOptions[] = [];
  const cacheFile = join(mkdtempSync(join(tmpdir(), "endpoint-source-")), "discovery-cache.json");
  const deps: EndpointSourceDeps = {
    configured: undefined,
    discovery: true,
    detectBackend: true,
    cacheFile,
    discover: async (options) => {
      discovered.push(options);
      return report();
    },
    detect: async (url) => {
      detected.push(url);
      return found(url);
    },
    now: () => 1_000_000,
    logger,
    ...overrides,
  };
  return { source: new EndpointSource(deps), detected, discovered, cacheFile };
}

describe("EndpointSource", () => {
  it("detects a configured endpoint's backend once, then reads it from the cache file", async () => {
    const first = source({ configured: "http://127.0.0.1:9000/api" });
    expect(await first.source.resolve()).toEqual({ endpoint: "http://127.0.0.1:9000/api", origin: "configured", backend: "mcp-memory-service" });
    const second = source({ configured: "http://127.0.0.1:9000/api", cacheFile: first.cacheFile });
    await second.source.resolve();
    expect(first.detected).toEqual(["http://127.0.0.1:9000/api"]);
    expect(second.detected).toEqual([]);
  });

  it("reports a correction for a configured endpoint but keeps using it", async () => {
    const { source: s } = source({
      configured: "http://127.0.0.1:9000",
      detect: async (url) => found(url, { endpoint: `${url}/api`, evidence: "api-health", correction: { from: url, to: `${url}/api` } }),
    });
    expect(await s.resolve()).toMatchObject({ endpoint: "http://127.0.0.1:9000", origin: "configured", correction: { to: "http://127.0.0.1:9000/api" } });
  });

  it("with discovery off and nothing configured, uses the default address without probing", async () => {
    const { source: s, discovered } = source({ discovery: false });
    expect(await s.resolve()).toEqual({ endpoint: "http://127.0.0.1:8000/api", origin: "default" });
    expect(discovered).toEqual([]);
  });

  it("says what discovery tried when it found nothing; calls within 10 s share that answer, a later one looks again", async () => {
    let clock = 1_000_000;
    const { source: s, discovered } = source({ now: () => clock });
    const error = await s.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoServerFoundError);
    expect((error as NoServerFoundError).message).toMatch(/tried http:\/\/127\.0\.0\.1:8000\/api; mDNS found 0/);
    clock += 9_999;
    expect(await s.resolve().catch((e: unknown) => e)).toBe(error);
    expect(discovered).toHaveLength(1);
    clock += 1;
    await s.resolve().catch(() => undefined);
    expect(discovered).toHaveLength(2);
    expect(discovered[0]).toMatchObject({ mdns: "fallback" });
  });

  it("detects a configured endpoint again after a known route answered 404, never switching the endpoint", async () => {
    const s = source({ configured: "http://127.0.0.1:9000/api" });
    await s.source.resolve();
    await s.source.redetect("http://127.0.0.1:9000/api");
    expect(await s.source.resolve()).toMatchObject({ endpoint: "http://127.0.0.1:9000/api", origin: "configured" });
    expect(s.detected).toEqual(["http://127.0.0.1:9000/api", "http://127.0.0.1:9000/api"]);
  });

  it("forgets a discovered endpoint that stopped answering, and discovers again", async () => {
    const answers = [report("http://127.0.0.1:9100/api", "mdns"), report("http://127.0.0.1:9200/api", "mdns")];
    const { source: s, cacheFile } = source({ discover: async () => answers.shift()! });
    await updateDiscoveryCache(cacheFile, (c) => rememberEndpoint(c, "http://127.0.0.1:9100/api", 1));
    expect((await s.resolve()).endpoint).toBe("http://127.0.0.1:9100/api");
    const before = s.version;
    await s.rediscover("http://127.0.0.1:9100/api");
    expect(s.version).toBe(before + 1);
    expect((await readDiscoveryCache(cacheFile)).cache.remembered).toBeUndefined();
    expect(await s.resolve()).toMatchObject({ endpoint: "http://127.0.0.1:9200/api", origin: "discovered" });
    // A failure of an endpoint no longer in use changes nothing.
    await s.rediscover("http://127.0.0.1:9100/api");
    expect(s.version).toBe(before + 1);
  });
});

function storeWith(tokens: Record<string, string>): TokenStore {
  return { name: "file", get: async (account) => tokens[account], set: async () => undefined, delete: async () => false };
}

function discoveringSession(chosen: string | undefined, tokens: Record<string, string>, env: Record<string, string> = {}): Session {
  const configDir = mkdtempSync(join(tmpdir(), "session-discovery-"));
  return new Session({
    commandName: "npx mcp-memory-bridge",
    settings: loadSettings({ env: { MEMORY_BRIDGE_CONFIG_DIR: configDir, ...env } }),
    env,
    cwd: "/",
    home: "/home/test",
    tmpdir: "/tmp",
    platform: "linux",
    logger,
    secrets: new SecretRedactor(),
    stores: [storeWith(tokens)],
    http: loadHttpClient,
    discover: async () => report(chosen, "mdns"),
  });
}

describe("token binding for a discovered endpoint", () => {
  it("gets a token stored for exactly that endpoint, under any loopback spelling", async () => {
    const s = discoveringSession("http://127.0.0.1:9300/api", { "http://localhost:9300/api": "tok-here", "http://127.0.0.1:8000/api": "tok-other" });
    expect(await s.token.get()).toMatchObject({ token: "tok-here", endpoint: "http://127.0.0.1:9300/api" });
  });

  it("gets none when a token was stored only for another endpoint", async () => {
    const s = discoveringSession("http://127.0.0.1:9300/api", { "http://127.0.0.1:8000/api": "tok-other", "http://127.0.0.1:9300": "tok-path" });
    expect((await s.token.get()).token).toBeUndefined();
  });

  it("does not send a token from the environment to a server found on the network", async () => {
    const s = discoveringSession("http://192.0.2.7:8000/api", {}, { MEMORY_BRIDGE_TOKEN: "from-env-token-1234567890" });
    expect((await s.token.get()).source).toBe("none");
    const local = discoveringSession("http://127.0.0.1:9300/api", {}, { MEMORY_BRIDGE_TOKEN: "from-env-token-1234567890" });
    expect((await local.token.get()).source).toBe("env");
  });

  it("a 404 on a known route makes the session detect the server again; another status does not", async () => {
    const s = discoveringSession("http://127.0.0.1:9300/api", {});
    await s.resolveEndpoint();
    const version = s.token.version;
    await s.noteFailure(new UnexpectedResponseError("http://127.0.0.1:9300/api", "GET /memories answered 405", 405));
    expect(s.token.version).toBe(version);
    await s.noteFailure(new UnexpectedResponseError("http://127.0.0.1:9300/api", "GET /memories answered 404", 404));
    expect(s.token.version).toBe(version + 1);
  });

  it("looks the token up again once the server is rediscovered elsewhere", async () => {
    const s = discoveringSession("http://127.0.0.1:9300/api", { "http://127.0.0.1:9300/api": "tok-9300" });
    expect((await s.token.get()).token).toBe("tok-9300");
    const version = s.token.version;
    await s.noteFailure(new UnreachableError({ endpoint: "http://127.0.0.1:9300/api", attempts: 1, maybeSent: false, causeCode: "ECONNREFUSED" }));
    expect(s.token.version).toBe(version + 1);
  });
});
