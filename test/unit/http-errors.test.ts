import { describe, expect, it } from "vitest";
import { BridgeError } from "../../src/core/errors.js";
import {
  AuthError,
  DeadlineError,
  ResponseFormatError,
  ServerError,
  TlsError,
  TransportError,
  UnreachableError,
} from "../../src/http/errors.js";
import { finalErrorFor } from "../../src/http/outcome.js";
import { followRedirect } from "../../src/http/redirect.js";
import { SecretRedactor } from "../../src/core/secrets.js";
import { extractServerReason } from "../../src/http/server-reason.js";

const endpoint = "https://mem.example.com/api";
const base = { endpoint, attempts: 1, maybeSent: false };

describe("errors carry a code and facts", () => {
  it("an AuthError is a TransportError and a BridgeError, coded by what the server said", () => {
    const err = new AuthError({ ...base, status: 401, serverCode: "invalid_token", tokenSent: true });
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err.name).toBe("AuthError");
    expect(err.code).toBe("auth-rejected");
    expect(err.serverCode).toBe("invalid_token");
    expect(new AuthError({ ...base, status: 401, tokenSent: false }).code).toBe("auth-missing");
    expect(new AuthError({ ...base, status: 401, serverCode: "authorization_required", tokenSent: true }).code).toBe("auth-not-found");
    expect(new AuthError({ ...base, status: 403, tokenSent: true }).code).toBe("auth-scope");
  });

  it("FastAPI's 403 \"Not authenticated\" is a missing token, not a missing scope", () => {
    expect(new AuthError({ ...base, status: 403, serverReason: "Not authenticated", tokenSent: false }).code).toBe("auth-missing");
    expect(new AuthError({ ...base, status: 403, serverReason: "Not authenticated", tokenSent: true }).code).toBe("auth-not-found");
    expect(new AuthError({ ...base, status: 403, serverReason: "Access denied", tokenSent: true }).code).toBe("auth-scope");
  });

  it("a server error names the server's request id in the same sentence", () => {
    const err = new ServerError({ ...base, attempts: 4, status: 502, detail: "Upstream provider error.", requestId: "1a2b3c4d" });
    expect(err.message).toBe("The memory server at https://mem.example.com/api failed (502, request id 1a2b3c4d) after 4 attempts: Upstream provider error.");
  });

  it("messages state the facts and name no command, flag or variable (the edge adds those)", () => {
    const errors = [
      new AuthError({ ...base, status: 401, serverCode: "invalid_token", tokenSent: true }),
      new UnreachableError({ ...base, attempts: 4, causeCode: "ECONNREFUSED" }),
      new DeadlineError({ ...base, timeoutMs: 15000 }),
      new TlsError({ ...base, causeCode: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
      new ResponseFormatError({ ...base, method: "GET", path: "/health", contentType: "text/html" }),
    ];
    for (const err of errors) {
      expect(err.message).toContain(endpoint);
      expect(err.message).not.toMatch(/--|npx|MEMORY_BRIDGE_|mcp-memory-bridge|doctor|login/);
    }
  });
});

describe("finalErrorFor: the request id of a 5xx", () => {
  const ctx = { endpoint, redactor: new SecretRedactor() };
  const failure = { kind: "status" as const, status: 502 };
  const answer = (headers: Record<string, string>, body: unknown) => ({ status: 502, headers, text: JSON.stringify(body) });

  it("comes from X-Request-ID, else from the body's request_id", () => {
    const fromHeader = finalErrorFor(ctx, failure, answer({ "x-request-id": "abc12345" }, { detail: "x", request_id: "other" }), 1, true, undefined, 0);
    expect((fromHeader as ServerError).requestId).toBe("abc12345");
    const fromBody = finalErrorFor(ctx, failure, answer({}, { detail: "Upstream provider error.", code: "unknown", request_id: "deadbeef" }), 1, true, undefined, 0);
    expect((fromBody as ServerError).requestId).toBe("deadbeef");
    expect(fromBody.message).toContain("(502, request id deadbeef)");
  });

  it("is left out when it is not a plain token", () => {
    const odd = finalErrorFor(ctx, failure, answer({ "x-request-id": "has spaces; and more" }, {}), 1, true, undefined, 0);
    expect((odd as ServerError).requestId).toBeUndefined();
    expect(odd.message).toContain("failed (502)");
  });
});

describe("extractServerReason", () => {
  it("reads mcp-memory-service auth bodies", () => {
    expect(
      extractServerReason({ detail: { error: "invalid_token", error_description: "The access token is invalid" } }),
    ).toEqual({ code: "invalid_token", reason: "The access token is invalid" });
  });
  it("reads FastAPI detail strings and validation lists", () => {
    expect(extractServerReason({ detail: "Memory not found" })).toEqual({ reason: "Memory not found" });
    expect(extractServerReason({ detail: [{ msg: "field required" }, { msg: "too long" }] })).toEqual({
      reason: "field required; too long",
    });
  });
  it("reads mem0 platform error/details", () => {
    expect(extractServerReason({ error: "Invalid request", details: "user_id is required" })).toEqual({
      reason: "Invalid request: user_id is required",
    });
    expect(extractServerReason({ error: "rate_limited" })).toEqual({ code: "rate_limited" });
  });
  it("reads plain text but not HTML", () => {
    expect(extractServerReason("upstream  timed\nout")).toEqual({ reason: "upstream timed out" });
    expect(extractServerReason("<html><body>502 Bad Gateway</body></html>")).toEqual({});
    expect(extractServerReason(undefined)).toEqual({});
  });
  it("truncates long reasons and redacts secrets", () => {
    const long = extractServerReason({ detail: "x".repeat(1000) });
    expect(long.reason!.length).toBeLessThanOrEqual(200);
    expect(long.reason!.endsWith("…")).toBe(true);
    const redactor = new SecretRedactor(["m0sk_abcdef123"]);
    const redact = (text: string) => redactor.redact(text);
    expect(extractServerReason({ detail: "Invalid API key: m0sk_abcdef123" }, redact).reason).toBe("Invalid API key: [redacted]");
  });

  it("redacts before cutting: a token that straddles the cut leaves no piece behind", () => {
    const token = "tok_0123456789abcdefXYZ";
    const redact = (text: string) => new SecretRedactor([token]).redact(text);
    for (const at of [150, 185, 190, 195, 199, 210]) {
      const reason = extractServerReason({ detail: `${"w".repeat(at)}${token} and more text after it` }, redact).reason!;
      expect(reason.length).toBeLessThanOrEqual(200);
      for (let i = 0; i + 8 <= token.length; i++) expect(reason).not.toContain(token.slice(i, i + 8));
    }
  });

  it("drops a code that is the token, and redacts its escaped and lower-cased forms in the reason", () => {
    const token = 'Ab"c\\dEf-123456';
    const redact = (text: string) => new SecretRedactor([token]).redact(text);
    expect(extractServerReason({ error: "Abcdef123456" }, (t) => new SecretRedactor(["Abcdef123456"]).redact(t))).toEqual({});
    const reason = extractServerReason({ detail: `got ${JSON.stringify(token)} and ${token.toLowerCase()}` }, redact).reason;
    expect(reason).toBe('got "[redacted]" and [redacted]');
  });
});

describe("followRedirect", () => {
  const origin = "https://mem.example.com";
  const post = { method: "POST", path: "/api/memories", body: "{}" };

  it("follows same-origin Locations, relative or absolute", () => {
    expect(followRedirect(origin, post, 307, "/api/v2/memories?x=1", 0)).toEqual({
      method: "POST",
      path: "/api/v2/memories?x=1",
      body: "{}",
    });
    expect(followRedirect(origin, post, 308, "https://MEM.example.com:443/b", 0)).toMatchObject({ path: "/b" });
    expect(followRedirect(origin, post, 301, "memories/", 0)).toMatchObject({ method: "POST", path: "/api/memories/" });
  });
  it("turns 303 into a body-less GET", () => {
    expect(followRedirect(origin, post, 303, "/api/result", 0)).toEqual({ method: "GET", path: "/api/result", body: undefined });
  });
  it("refuses other origins, including a downgrade to http", () => {
    expect(followRedirect(origin, post, 302, "https://other.example/api", 0)).toEqual({
      kind: "cross-origin",
      targetOrigin: "https://other.example",
    });
    expect(followRedirect(origin, post, 302, "http://mem.example.com/api", 0)).toMatchObject({ kind: "cross-origin" });
  });
  it("stops after three redirects and without a Location", () => {
    expect(followRedirect(origin, post, 302, "/x", 3)).toEqual({ kind: "too-many", limit: 3 });
    expect(followRedirect(origin, post, 302, undefined, 0)).toEqual({ kind: "no-location", status: 302 });
  });
});
