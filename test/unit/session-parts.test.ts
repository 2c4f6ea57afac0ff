/**
 * The parts a Session is made of, each on its own: the token (looked up once, refreshed when a
 * server rejects it), the backend connection (reopened when the token changes), the one auth-retry
 * rule, and openBackend, the one way to open a backend.
 */
import { describe, expect, it } from "vitest";
import { UnsupportedBackendError } from "../../src/backends/errors.js";
import { openBackend } from "../../src/backends/open-backend.js";
import type { MemoryBackend } from "../../src/backends/types.js";
import { loadSettings } from "../../src/config/load.js";
import { SecretRedactor } from "../../src/core/secrets.js";
import type { TokenStore } from "../../src/credentials/token-store.js";
import { AuthError } from "../../src/http/errors.js";
import type { HttpClient, HttpClientOptions } from "../../src/http/types.js";
import { createLogger } from "../../src/log.js";
import { unauthorized, withAuthRetry } from "../../src/session/auth-retry.js";
import { BackendConnection } from "../../src/session/backend-connection.js";
import { SessionToken } from "../../src/session/token.js";

const ENDPOINT = "https://memory.example.com/api";
const quiet = createLogger({ level: "error", write: () => undefined });

function store(name: TokenStore["name"], tokens: Record<string, string>, lookups = { count: 0 }): TokenStore {
  return {
    name,
    get: async (account) => {
      lookups.count++;
      return tokens[account];
    },
    set: async (account, token) => void (tokens[account] = token),
    delete: async () => false,
  };
}

function sessionToken(stores: TokenStore[], env: Record<string, string> = {}, secrets = new SecretRedactor()) {
  return new SessionToken({ env, endpoint: ENDPOINT, endpointIsDefault: false, scheme: "bearer", stores, secrets, logger: quiet });
}

const rejected = () => new AuthError({ endpoint: ENDPOINT, attempts: 1, maybeSent: false, status: 401, tokenSent: true });

describe("SessionToken", () => {
  it("looks the token up once and registers it as a secret", async () => {
    const lookups = { count: 0 };
    const secrets = new SecretRedactor();
    const token = sessionToken([store("keytar", { [ENDPOINT]: "tok-one-12345678" }, lookups)], {}, secrets);
    expect((await token.get()).token).toBe("tok-one-12345678");
    expect((await token.get()).source).toBe("keychain");
    expect(lookups.count).toBe(1);
    expect(secrets.redact("sent tok-one-12345678")).toBe("sent [redacted]");
  });

  it("after a rejection, a different token in a later store replaces it; concurrent refreshes share one lookup", async () => {
    const lookups = { count: 0 };
    const token = sessionToken([store("keytar", { [ENDPOINT]: "tok-old-12345678" }), store("keyring", { [ENDPOINT]: "tok-new-12345678" }, lookups)]);
    await token.get();
    const seen = token.version;
    const [first, second] = await Promise.all([token.refresh(seen), token.refresh(seen)]);
    expect([first, second]).toEqual([true, true]);
    expect(lookups.count).toBe(1);
    expect((await token.get()).token).toBe("tok-new-12345678");
    expect(token.version).toBe(seen + 1);
    // A caller that saw the old version is told at once that the token has changed.
    expect(await token.refresh(seen)).toBe(true);
  });

  it("finds nothing new when the stores hold the same token, and never second-guesses the environment", async () => {
    const same = sessionToken([store("keytar", { [ENDPOINT]: "tok-same-1234567" })]);
    await same.get();
    expect(await same.refresh(same.version)).toBe(false);
    const fromEnv = sessionToken([store("keytar", { [ENDPOINT]: "tok-stored-12345" })], { MEMORY_BRIDGE_TOKEN: "tok-env-12345678" });
    expect((await fromEnv.get()).source).toBe("env");
    expect(await fromEnv.refresh(fromEnv.version)).toBe(false);
  });
});

describe("withAuthRetry", () => {
  it("runs once when the token is not rejected", async () => {
    const token = sessionToken([store("keytar", { [ENDPOINT]: "tok-a-123456789" })]);
    let calls = 0;
    expect(await withAuthRetry(token, async () => ++calls, unauthorized)).toBe(1);
    expect(calls).toBe(1);
  });

  it("runs again once after a 401 when another token is found, and not when none is", async () => {
    const tokens = { [ENDPOINT]: "tok-old-12345678" };
    const token = sessionToken([store("keytar", tokens)]);
    await token.get();
    let calls = 0;
    const call = async () => {
      calls++;
      if ((await token.get()).token === "tok-old-12345678") throw rejected();
      return "ok";
    };
    await expect(withAuthRetry(token, call, unauthorized)).rejects.toBeInstanceOf(AuthError);
    expect(calls).toBe(1);
    tokens[ENDPOINT] = "tok-new-12345678";
    expect(await withAuthRetry(token, call, unauthorized)).toBe("ok");
    expect(calls).toBe(3);
  });

  it("takes what counts as a rejection from its caller (status: a probe that says the token was refused)", async () => {
    const tokens = { [ENDPOINT]: "tok-old-12345678" };
    const token = sessionToken([store("keytar", tokens)]);
    await token.get();
    tokens[ENDPOINT] = "tok-new-12345678";
    const probe = async () => ({ tokenAccepted: (await token.get()).token === "tok-new-12345678" });
    const result = await withAuthRetry(token, probe, (outcome) => "value" in outcome && !outcome.value.tokenAccepted);
    expect(result).toEqual({ tokenAccepted: true });
  });
});

describe("BackendConnection", () => {
  const backend = (label: string) => ({ flavour: "mcp-memory-service", label }) as unknown as MemoryBackend;

  it("opens once with the token in force, again after the token changed, and retries a failed open", async () => {
    const tokens = { [ENDPOINT]: "tok-old-12345678" };
    const token = sessionToken([store("keytar", tokens)]);
    const opened: (string | undefined)[] = [];
    let fail = true;
    const connection = new BackendConnection({
      token,
      timeoutMs: 10,
      open: async (value) => {
        opened.push(value);
        if (fail) throw new Error("refused");
        return { backend: backend(value ?? "none"), close: async () => undefined };
      },
    });
    await expect(connection.get()).rejects.toThrow("refused");
    fail = false;
    const first = await connection.get();
    expect(await connection.get()).toBe(first);
    tokens[ENDPOINT] = "tok-new-12345678";
    expect(await token.refresh(token.version)).toBe(true);
    const second = await connection.get();
    expect(second).not.toBe(first);
    expect(opened).toEqual(["tok-old-12345678", "tok-old-12345678", "tok-new-12345678"]);
    await connection.close();
  });
});

describe("openBackend", () => {
  function fakeHttp() {
    const made: HttpClientOptions[] = [];
    let closed = 0;
    const factory = async (options: HttpClientOptions): Promise<HttpClient> => {
      made.push(options);
      return { endpoint: options.endpoint, request: async () => ({ status: 200, headers: {}, body: {}, attempts: 1 }), redact: (t) => t, close: async () => void closed++ };
    };
    return { factory, made, closed: () => closed };
  }
  const settings = (env: Record<string, string>) => loadSettings({ env: { MEMORY_BRIDGE_CONFIG_DIR: "/tmp/none", ...env } });

  it("sends the token as the flavour expects, or as --auth-scheme says, with the settings' limits", async () => {
    const http = fakeHttp();
    const opened = await openBackend({ settings: settings({}), endpoint: ENDPOINT, token: "tok-12345678", http: http.factory, logger: quiet });
    expect(opened.backend.flavour).toBe("mcp-memory-service");
    expect(http.made[0]).toMatchObject({ endpoint: ENDPOINT, auth: { header: "authorization", value: "Bearer tok-12345678" }, maxConnections: 16, allowHttp: false });
    await openBackend({ settings: settings({ MEMORY_BRIDGE_AUTH_SCHEME: "x-api-key" }), endpoint: ENDPOINT, token: "tok-12345678", http: http.factory, logger: quiet });
    expect(http.made[1]?.auth).toEqual({ header: "x-api-key", value: "tok-12345678" });
    await openBackend({ settings: settings({}), endpoint: ENDPOINT, token: undefined, http: http.factory, logger: quiet });
    expect(http.made[2]).not.toHaveProperty("auth");
  });

  it("a flavour this version cannot serve closes the client it opened and says which", async () => {
    const http = fakeHttp();
    const opening = openBackend({ settings: settings({ MEMORY_BRIDGE_BACKEND: "mem0" }), endpoint: ENDPOINT, token: "t", http: http.factory, logger: quiet });
    await expect(opening).rejects.toBeInstanceOf(UnsupportedBackendError);
    expect(http.closed()).toBe(1);
  });
});
